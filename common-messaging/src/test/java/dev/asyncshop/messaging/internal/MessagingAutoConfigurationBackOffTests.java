package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.spi.PayloadCodec;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every piece of the library gives way to the application's own bean of its type (or name, where
 * several live side by side). No broker is needed: nothing here connects.
 */
class MessagingAutoConfigurationBackOffTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class,
                  redisMessagingAutoConfiguration(),
                  MessagingAutoConfiguration.class))
          .withPropertyValues("messaging.service-name=back-off-test");

  /** Package-private in its own package, like every auto-configuration of the library. */
  private static Class<?> redisMessagingAutoConfiguration() {
    try {
      return Class.forName(
          "dev.asyncshop.messaging.internal.redis.RedisMessagingAutoConfiguration");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theRedisIdempotencyStoreIsTheDefault() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(IdempotencyStore.class);
          assertThat(context.getBean(IdempotencyStore.class).getClass().getSimpleName())
              .isEqualTo("RedisIdempotencyStore");
        });
  }

  @Test
  void anIdempotencyStoreOfTheApplicationReplacesTheDefault() {
    runner
        .withUserConfiguration(OwnIdempotencyStore.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(IdempotencyStore.class);
              assertThat(context.getBean(IdempotencyStore.class))
                  .isSameAs(context.getBean(OwnIdempotencyStore.class).store);
            });
  }

  @Test
  void aPayloadCodecAndAnEnvelopeFactoryOfTheApplicationReplaceTheDefaults() {
    runner
        .withUserConfiguration(OwnCodecAndEnvelopes.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(PayloadCodec.class);
              assertThat(context.getBean(PayloadCodec.class))
                  .isInstanceOf(OwnCodecAndEnvelopes.UpperCaseCodec.class);
              assertThat(context).hasSingleBean(EnvelopeFactory.class);
              assertThat(context.getBean(EnvelopeFactory.class))
                  .isInstanceOf(OwnCodecAndEnvelopes.FixedIds.class);
            });
  }

  @Test
  void theApplicationsOwnTransportsCarryEveryKindWhenTheLibrarysAreOff() {
    runner
        .withUserConfiguration(OwnTransports.class)
        .withPropertyValues(
            "messaging.redis.enabled=false",
            "messaging.idempotency.store=none",
            "messaging.routes[0].type=test.command.v1",
            "messaging.routes[0].kind=command",
            "messaging.routes[0].destination=commands")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBeansOfType(OutboundTransport.class)).hasSize(3);
              assertThat(context).doesNotHaveBean(IdempotencyStore.class);
              assertThat(context).hasSingleBean(MessageGateway.class);
              assertThat(context).hasSingleBean(ConsumerPipelines.class);
            });
  }

  @Test
  void anAuditSinkOfTheApplicationJoinsTheLogOneAndReplacesItByName() {
    runner
        .withBean("ownAuditSink", AuditSink.class, () -> record -> {})
        .run(context -> assertThat(context.getBeansOfType(AuditSink.class)).hasSize(2));
    runner
        .withBean("messagingLoggingAuditSink", AuditSink.class, () -> record -> {})
        .run(
            context -> {
              assertThat(context.getBeansOfType(AuditSink.class)).hasSize(1);
              assertThat(context.getBean("messagingLoggingAuditSink"))
                  .isNotInstanceOf(LoggingAuditSink.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnIdempotencyStore {
    final IdempotencyStore store =
        (group, messageId, work) -> {
          work.run();
          return IdempotencyStore.Outcome.HANDLED;
        };

    @Bean
    IdempotencyStore ownIdempotencyStore() {
      return store;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCodecAndEnvelopes {

    static final class UpperCaseCodec implements PayloadCodec {
      @Override
      public byte[] write(Object payload) {
        return payload.toString().toUpperCase().getBytes();
      }

      @Override
      public <T> T read(byte[] data, Class<T> type) {
        throw new UnsupportedOperationException();
      }
    }

    static final class FixedIds implements EnvelopeFactory {
      @Override
      public Envelope create(String type, MessageOptions options) {
        return new Envelope(
            "1", "/test", type, Instant.EPOCH, null, "text/plain", "1", null, null, null);
      }

      @Override
      public Envelope reply(Envelope query, String replyType, String dataContentType) {
        return create(replyType, MessageOptions.NONE);
      }
    }

    @Bean
    PayloadCodec ownCodec() {
      return new UpperCaseCodec();
    }

    @Bean
    EnvelopeFactory ownEnvelopes() {
      return new FixedIds();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnTransports {

    record Recording(Transport transport) implements OutboundTransport {
      @Override
      public CompletableFuture<Void> send(OutboundMessage message) {
        return CompletableFuture.completedFuture(null);
      }
    }

    @Bean
    OutboundTransport kafkaInMemory() {
      return new Recording(Transport.KAFKA);
    }

    @Bean
    OutboundTransport rabbitInMemory() {
      return new Recording(Transport.RABBITMQ);
    }

    @Bean
    OutboundTransport redisInMemory() {
      return new Recording(Transport.REDIS);
    }
  }
}
