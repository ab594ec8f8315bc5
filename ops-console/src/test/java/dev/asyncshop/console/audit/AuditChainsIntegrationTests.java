package dev.asyncshop.console.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.asyncshop.messaging.audit.AuditChain;
import dev.asyncshop.messaging.audit.AuditChainVerifier;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The audit chains page against a real Kafka broker: one chain as a service instance writes it and
 * closes it, another with a record changed after it was written.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AuditChainsIntegrationTests {

  static final String TOPIC = TestNames.unique("audit");
  static final String CLEAN = "order-service/host-1-11/2026-12-03T10:00:00Z";
  static final String TAMPERED = "payment-service/host-2-22/2026-12-03T10:00:00Z";

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry properties) {
    Brokers.springProperties().forEach((key, value) -> properties.add(key, () -> value));
    properties.add("console.audit.topic", () -> TOPIC);
    properties.add("console.authorization.client-secret", () -> "console-secret");
  }

  @Autowired MockMvc mvc;
  @Autowired ApplicationContext context;

  @BeforeAll
  static void writeTwoChains() throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Brokers.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      write(producer, CLEAN, "order-service", List.of("PUBLISHED", "RECEIVED", "CHAIN_CLOSED"), 0);
      write(producer, TAMPERED, "payment-service", List.of("PUBLISHED", "RECEIVED", "HANDLED"), 2);
      producer.flush();
    }
  }

  /** Writes a chain; the record of sequence {@code alter} (0: none) changed after sealing. */
  private static void write(
      KafkaProducer<String, byte[]> producer,
      String chain,
      String service,
      List<String> outcomes,
      int alter) {
    String previous = AuditChain.ZERO_HASH;
    for (int i = 0; i < outcomes.size(); i++) {
      String json =
          """
          {"service":"%s","outcome":"%s","correlationId":"order-%d","detail":null}"""
              .formatted(service, outcomes.get(i), i);
      AuditChain.Sealed sealed =
          AuditChain.seal(
              json.getBytes(StandardCharsets.UTF_8),
              chain,
              i + 1,
              previous,
              List.of(),
              AuditChain.sha256());
      previous = sealed.hash();
      String value = new String(sealed.value(), StandardCharsets.UTF_8);
      if (i + 1 == alter) {
        value = value.replace("\"detail\":null", "\"detail\":\"nothing to see\"");
      }
      producer.send(
          new ProducerRecord<>(TOPIC, "order-" + i, value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void thePageShowsEachChainsVerdictAndWhereABrokenOneBreaks() throws Exception {
    mvc.perform(get("/audit/chains").with(operator()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("2 chains in 6 records"),
                        containsString(CLEAN),
                        containsString("data-status=\"CLOSED\""),
                        containsString("data-status=\"BROKEN\""),
                        containsString("ALTERED"),
                        containsString(
                            "At least one chain is broken: <span>a record was changed after it"
                                + " was written</span>."),
                        containsString("href=\"/audit/chains\""))));
  }

  @Test
  void scriptsGetTheReportAsJson() throws Exception {
    mvc.perform(get("/audit/chains").accept(MediaType.APPLICATION_JSON).with(operator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.recordsRead").value(6))
        .andExpect(jsonPath("$.chains[0].chain").value(TAMPERED))
        .andExpect(jsonPath("$.chains[0].brokenLink.reason").value("ALTERED"))
        .andExpect(jsonPath("$.chains[0].brokenLink.sequence").value(2))
        .andExpect(jsonPath("$.chains[1].chain").value(CLEAN))
        .andExpect(jsonPath("$.chains[1].closed").value(true))
        .andExpect(jsonPath("$.chains[1].brokenLink").value(nullValue()));
  }

  @Test
  void aSecondRequestWithinHalfAMinuteGetsTheLastReportAndSaysSo() throws Exception {
    String first =
        mvc.perform(
                get("/audit/chains?hours=48").accept(MediaType.APPLICATION_JSON).with(operator()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    mvc.perform(get("/audit/chains?hours=48").accept(MediaType.APPLICATION_JSON).with(operator()))
        .andExpect(status().isOk())
        .andExpect(header().exists("Age"))
        .andExpect(content().json(first));
    mvc.perform(get("/audit/chains?hours=48").with(operator()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("This report was read ")));
  }

  @Test
  void onlyAnOperatorSeesThem() throws Exception {
    mvc.perform(
            get("/audit/chains")
                .with(oidcLogin().authorities(new SimpleGrantedAuthority("ROLE_CUSTOMER"))))
        .andExpect(status().isForbidden());
  }

  @Test
  void theConsoleRunsNothingOfTheMessagingLibraryButTheVerifier() {
    assertThat(context.getBeanDefinitionNames())
        .filteredOn(
            name ->
                context.getType(name) != null
                    && context.getType(name).getName().startsWith("dev.asyncshop.messaging.")
                    && !context
                        .getType(name)
                        .getName()
                        .startsWith("dev.asyncshop.messaging.audit."))
        .isEmpty();
    assertThat(context.getBeansOfType(AuditChainVerifier.class)).hasSize(1);
  }

  private static RequestPostProcessor operator() {
    return oidcLogin()
        .idToken(token -> token.subject("olivia"))
        .authorities(new SimpleGrantedAuthority("ROLE_OPS"));
  }
}
