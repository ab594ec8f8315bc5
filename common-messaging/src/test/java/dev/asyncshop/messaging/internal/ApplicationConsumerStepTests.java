package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.PipelineFixtures.FixtureCommand;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.spi.PrincipalSource;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application adds a consumer step with one class and one bean, and it runs in its place in
 * every subscription's pipeline, between the library's steps. No broker: the pipeline is fed a
 * delivery directly, as a transport would.
 */
class ApplicationConsumerStepTests {

  /** What happened, in order, seen from the application. */
  static final List<String> trace = new CopyOnWriteArrayList<>();

  /** The one class: a step between the audit of the receipt and the handler lookup. */
  static class TraceStep implements ConsumerStep {
    @Override
    public ConsumeResult process(ConsumerContext context, Chain next) {
      trace.add(
          "step sees route "
              + context.route().type()
              + (context.handler() == null ? " and no handler yet" : " and a handler"));
      ConsumeResult result = next.proceed(context);
      trace.add("step sees " + result.getClass().getSimpleName());
      return result;
    }

    @Override
    public int getOrder() {
      return ConsumerStepOrder.AUDIT_RECEIVED + 50;
    }
  }

  /** The one bean. */
  @Configuration(proxyBeanMethods = false)
  static class WithTraceStep {
    @Bean
    TraceStep traceStep() {
      return new TraceStep();
    }
  }

  static class Handlers {
    @HandleMessage
    void on(FixtureCommand command) {
      trace.add("handler runs with " + command.text());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemoryTransports {
    record Sent(Transport transport) implements OutboundTransport {
      @Override
      public CompletableFuture<Void> send(OutboundMessage message) {
        return CompletableFuture.completedFuture(null);
      }
    }

    @Bean
    OutboundTransport kafka() {
      return new Sent(Transport.KAFKA);
    }

    @Bean
    OutboundTransport rabbitmq() {
      return new Sent(Transport.RABBITMQ);
    }

    @Bean
    OutboundTransport redis() {
      return new Sent(Transport.REDIS);
    }

    @Bean
    Handlers handlers() {
      return new Handlers();
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MessagingAutoConfiguration.class))
          .withUserConfiguration(InMemoryTransports.class)
          .withPropertyValues(
              "messaging.service-name=step-test",
              "messaging.idempotency.store=none",
              "messaging.routes[0].type=fixture.command.v1",
              "messaging.routes[0].kind=command",
              "messaging.routes[0].destination=fixture.commands");

  @Test
  void aStepBeanRunsInItsPlaceInTheConsumerPipeline() {
    trace.clear();
    runner
        .withUserConfiguration(WithTraceStep.class)
        .run(
            context -> {
              ConsumerPipeline pipeline =
                  context.getBean(ConsumerPipelines.class).forTransport(Transport.RABBITMQ).get(0);
              Envelope envelope =
                  new DefaultEnvelopeFactory("sender", Clock.systemUTC(), PrincipalSource.NONE)
                      .create("fixture.command.v1", MessageOptions.NONE);

              ConsumeResult result =
                  pipeline.process(FakeDelivery.of(envelope, "{\"text\":\"hello\"}"));

              assertThat(result).isSameAs(ConsumeResult.HANDLED);
              assertThat(trace)
                  .containsExactly(
                      "step sees route fixture.command.v1 and no handler yet",
                      "handler runs with hello",
                      "step sees Handled");
              assertThat(
                      ((SubscriptionPipelines) context.getBean(ConsumerPipelines.class))
                          .steps().stream().map(step -> step.getClass().getSimpleName()))
                  .containsExactly(
                      "AnswerQueryStep",
                      "DeadLetterStep",
                      "DeserializeStep",
                      "AuditReceivedStep",
                      "TraceStep",
                      "FindHandlerStep",
                      "ReadPayloadStep",
                      "RecordOutcomeStep",
                      "WatchKeyOrderStep",
                      "EncodeReplyStep",
                      "RetryStep",
                      "InvokeHandlerStep");
            });
  }

  @Test
  void withoutTheBeanTheLibrarysStepsRunAlone() {
    trace.clear();
    runner.run(
        context -> {
          assertThat(
                  ((SubscriptionPipelines) context.getBean(ConsumerPipelines.class))
                      .steps().stream().map(step -> step.getClass().getSimpleName()))
              .doesNotContain("TraceStep")
              .hasSize(11);
        });
  }
}
