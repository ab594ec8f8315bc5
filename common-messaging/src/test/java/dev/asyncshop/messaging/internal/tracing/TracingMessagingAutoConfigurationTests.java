package dev.asyncshop.messaging.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.PublisherStep;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The span steps exist only with a tracer, and then every envelope carries the trace context it was
 * made in. No broker is needed: nothing here connects.
 */
class TracingMessagingAutoConfigurationTests {

  private final ApplicationContextRunner withoutTracer =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  messagingAutoConfiguration(), TracingMessagingAutoConfiguration.class))
          .withPropertyValues("messaging.service-name=tracing-test");

  private final ApplicationContextRunner withTracer =
      withoutTracer
          .withConfiguration(
              AutoConfigurations.of(
                  OpenTelemetrySdkAutoConfiguration.class,
                  OpenTelemetryTracingAutoConfiguration.class,
                  MicrometerTracingAutoConfiguration.class))
          .withPropertyValues("management.tracing.sampling.probability=1.0");

  private static Class<?> messagingAutoConfiguration() {
    try {
      return Class.forName("dev.asyncshop.messaging.internal.MessagingAutoConfiguration");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void withoutATracerNoSpanStepExistsAndEnvelopesKeepTheLibrarysTraceparent() {
    withoutTracer.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("messagingSendSpanStep");
          assertThat(context).doesNotHaveBean("messagingReceiveSpanStep");
          assertThat(context.getBean(EnvelopeFactory.class))
              .isNotInstanceOf(TracingEnvelopeFactory.class);
          assertThat(
                  context
                      .getBean(EnvelopeFactory.class)
                      .create("test.event.v1", MessageOptions.NONE)
                      .traceparent())
              .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        });
  }

  @Test
  void withoutMicrometerTracingOnTheClassPathNothingIsConfigured() {
    withoutTracer
        .withClassLoader(new FilteredClassLoader(Tracer.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("messagingSendSpanStep");
            });
  }

  @Test
  void withATracerAnEnvelopeCarriesTheContextOfTheSpanItIsMadeIn() {
    withTracer.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean("messagingSendSpanStep", PublisherStep.class))
              .isInstanceOf(SendSpanStep.class);
          Tracer tracer = context.getBean(Tracer.class);
          assertThat(context.getBean(Propagator.class)).isNotNull();
          EnvelopeFactory envelopes = context.getBean(EnvelopeFactory.class);
          Span span = tracer.nextSpan().name("request").start();
          try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            assertThat(envelopes.create("test.event.v1", MessageOptions.NONE).traceparent())
                .isEqualTo(
                    "00-" + span.context().traceId() + "-" + span.context().spanId() + "-01");
          } finally {
            span.end();
          }
          assertThat(envelopes.create("test.event.v1", MessageOptions.NONE).traceparent())
              .as("no span, no trace context: the send starts a trace")
              .isNull();
        });
  }

  @Test
  void spansCanBeTurnedOffWhileTheTracerStays() {
    withTracer
        .withPropertyValues("messaging.tracing.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("messagingSendSpanStep");
            });
  }
}
