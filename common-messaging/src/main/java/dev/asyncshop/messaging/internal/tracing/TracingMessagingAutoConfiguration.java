package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.PublisherStep;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Spans around every send and receive, when the application has a Micrometer {@link Tracer} and
 * {@link Propagator} (Boot's {@code spring-boot-starter-opentelemetry} gives both). Without a
 * tracer nothing here exists and envelopes carry the library's own {@code traceparent}; {@code
 * messaging.tracing.enabled=false} turns the spans off while the tracer stays.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration"
    },
    beforeName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@ConditionalOnClass(Tracer.class)
@ConditionalOnProperty(name = "messaging.tracing.enabled", matchIfMissing = true)
class TracingMessagingAutoConfiguration {

  /**
   * Makes every envelope carry the trace context it was created in. A post-processor rather than a
   * replacement, so an application's own {@link EnvelopeFactory} is traced too.
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static BeanPostProcessor messagingTracingEnvelopeFactoryPostProcessor(
      ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof EnvelopeFactory envelopes
            && !(bean instanceof TracingEnvelopeFactory)) {
          TraceContexts traces = traceContexts(tracer, propagator);
          return traces == null ? bean : new TracingEnvelopeFactory(envelopes, traces);
        }
        return bean;
      }
    };
  }

  /** The tracer's contexts, or {@code null} when the tracer is missing or records nothing. */
  private static TraceContexts traceContexts(
      ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    Tracer t = tracer.getIfAvailable();
    Propagator p = propagator.getIfAvailable();
    if (t == null || p == null || t == Tracer.NOOP || p == Propagator.NOOP) {
      return null;
    }
    return new TraceContexts(t, p);
  }

  @Bean
  @ConditionalOnBean({Tracer.class, Propagator.class})
  @ConditionalOnMissingBean(name = "messagingSendSpanStep")
  PublisherStep messagingSendSpanStep(
      ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    TraceContexts traces = traceContexts(tracer, propagator);
    return traces == null ? PassThrough.PUBLISHER : new SendSpanStep(traces);
  }

  @Bean
  @ConditionalOnBean({Tracer.class, Propagator.class})
  @ConditionalOnMissingBean(name = "messagingReceiveSpanStep")
  ConsumerStep messagingReceiveSpanStep(
      ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    TraceContexts traces = traceContexts(tracer, propagator);
    return traces == null ? PassThrough.CONSUMER : new ReceiveSpanStep(traces);
  }

  @Bean
  @ConditionalOnBean(Tracer.class)
  @ConditionalOnMissingBean(name = "messagingRetryEventStep")
  ConsumerStep messagingRetryEventStep(Tracer tracer) {
    return new RetryEventStep(tracer);
  }
}
