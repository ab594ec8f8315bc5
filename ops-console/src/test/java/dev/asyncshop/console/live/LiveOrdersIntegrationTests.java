package dev.asyncshop.console.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import java.time.Duration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The live orders page against a real Redis: a change order-service broadcasts reaches an open
 * page's stream, and a page opened afterwards lists it.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LiveOrdersIntegrationTests {

  static final String PREFIX = TestNames.unique("live") + ".";

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry properties) {
    Brokers.springProperties().forEach((key, value) -> properties.add(key, () -> value));
    properties.add("console.destination-prefix", () -> PREFIX);
    properties.add("console.authorization.client-secret", () -> "console-secret");
  }

  @Autowired MockMvc mvc;
  @Autowired StringRedisTemplate redis;
  @Autowired LiveOrders liveOrders;

  @Test
  void aBroadcastChangeReachesAnOpenPageAndIsListedOnTheNextOne() throws Exception {
    MvcResult stream =
        mvc.perform(get("/orders/stream").with(operator()))
            .andExpect(request().asyncStarted())
            .andReturn();
    await().atMost(Duration.ofSeconds(10)).until(() -> liveOrders.openStreams() > 0);
    // The page learns at once that it is connected, before any order changes.
    assertThat(stream.getResponse().getContentAsString()).contains(":connected");

    // Published as order-service does, until the subscription (made when the console started)
    // has taken one: pub/sub keeps nothing for a subscriber that is not there yet.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              redis.convertAndSend(
                  PREFIX + "orders.status",
                  """
                  {"specversion":"1.0","id":"%s","type":"order.status-changed.v1",
                   "source":"order-service","correlationid":"order-42",
                   "data":{"orderId":"order-42","status":"SHIPPED","at":"2026-12-03T10:00:00Z",
                           "detail":"TRK-42"}}
                  """
                      .formatted(TestNames.unique("m")));
              return !liveOrders.recent().isEmpty();
            });

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(stream.getResponse().getContentAsString())
                    .contains("event:status")
                    .contains("\"orderId\":\"order-42\"")
                    .contains("\"status\":\"SHIPPED\""));
    mvc.perform(get("/orders").with(operator()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    Matchers.allOf(
                        Matchers.containsString("order-42"),
                        Matchers.containsString("/audit?correlationId=order-42"))));
  }

  private static org.springframework.test.web.servlet.request.RequestPostProcessor operator() {
    return oidcLogin().authorities(new SimpleGrantedAuthority("ROLE_OPS"));
  }
}
