package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.concurrent.CompletableFuture;

/** The span steps when the tracer records nothing (Micrometer's no-op tracer): they step aside. */
final class PassThrough {

  static final PublisherStep PUBLISHER =
      new PublisherStep() {
        @Override
        public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
          return next.publish(message);
        }

        @Override
        public int getOrder() {
          return PublisherStepOrder.TRACING_SPAN;
        }
      };

  static final ConsumerStep CONSUMER =
      new ConsumerStep() {
        @Override
        public ConsumeResult process(ConsumerContext context, Chain next) {
          return next.proceed(context);
        }

        @Override
        public int getOrder() {
          return ConsumerStepOrder.TRACING_SPAN;
        }
      };

  private PassThrough() {}
}
