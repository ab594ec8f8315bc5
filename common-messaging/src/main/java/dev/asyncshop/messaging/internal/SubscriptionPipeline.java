package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Clock;

/** One subscription's chain of consumer steps, built once and run for every message. */
final class SubscriptionPipeline implements ConsumerPipeline {

  private final Subscription subscription;
  private final ConsumerStep.Chain chain;
  private final Clock clock;

  SubscriptionPipeline(Subscription subscription, ConsumerStep.Chain chain, Clock clock) {
    this.subscription = subscription;
    this.chain = chain;
    this.clock = clock;
  }

  @Override
  public Subscription subscription() {
    return subscription;
  }

  @Override
  public ConsumeResult process(InboundDelivery delivery) {
    return chain.proceed(new ConsumerContext(subscription, delivery, clock.instant()));
  }

  @Override
  public String toString() {
    return "pipeline of " + subscription.group() + " on " + subscription.destination();
  }
}
