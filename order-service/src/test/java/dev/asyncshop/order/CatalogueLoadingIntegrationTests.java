package dev.asyncshop.order;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.LocalTables;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Until its catalogue has read every product its topic held at start, an instance refuses orders
 * with a 503 that says when to come back, and is not ready; once caught up, it places them.
 */
@Import(CatalogueLoadingIntegrationTests.Gate.class)
class CatalogueLoadingIntegrationTests extends OrderServiceIntegrationSupport {

  /** Holds the local tables' records while closed, as a slow start would. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Gate {

    @Bean
    TableGate tableGate() {
      return new TableGate();
    }
  }

  static class TableGate implements ConsumerStep {

    volatile CountDownLatch open = new CountDownLatch(0);

    @Override
    public ConsumeResult process(ConsumerContext context, Chain next) {
      if (context.subscription().table()) {
        try {
          open.await(30, SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return next.proceed(context);
    }

    @Override
    public int getOrder() {
      return ConsumerStepOrder.FIND_HANDLER + 10;
    }
  }

  @Autowired TableGate gate;
  @Autowired LocalTables tables;
  @Autowired ApplicationContext context;

  @Test
  void ordersAreRefusedWithRetryAfterAndTheInstanceIsNotReadyUntilTheCatalogueHasCaughtUp() {
    String customer = customer();
    gate.open = new CountDownLatch(1);
    // A restart of the consumers: the tables read their topics again from the start.
    SmartLifecycle consumers = context.getBean("messagingKafkaSubscriber", SmartLifecycle.class);
    consumers.stop();
    consumers.start();
    try {
      assertThat(tables.allCaughtUp()).isFalse();

      http.post()
          .uri("/orders")
          .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
          .contentType(MediaType.APPLICATION_JSON)
          .body(orderBody())
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectHeader()
          .valueEquals(HttpHeaders.RETRY_AFTER, "1")
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.title")
          .isEqualTo("Catalogue not loaded yet");
      anonymous
          .get()
          .uri("/actuator/health/readiness")
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
      assertThat(ordersOf(customer)).isZero();
    } finally {
      gate.open.countDown();
    }

    await().atMost(WAIT).until(tables::allCaughtUp);
    place(customer);
    assertThat(ordersOf(customer)).isOne();
  }
}
