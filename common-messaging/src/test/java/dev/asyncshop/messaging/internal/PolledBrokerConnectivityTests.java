package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.BrokerCheck;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PolledBrokerConnectivityTests {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Check kafka = new Check(Transport.KAFKA);
  private final Check rabbit = new Check(Transport.RABBITMQ);
  private final Check redis = new Check(Transport.REDIS);

  private PolledBrokerConnectivity connectivity(Set<Transport> used) {
    return new PolledBrokerConnectivity(used, List.of(kafka, rabbit, redis), nanos::get, false);
  }

  private void checkAll(PolledBrokerConnectivity connectivity) {
    connectivity.check(kafka);
    connectivity.check(rabbit);
    connectivity.check(redis);
  }

  @Test
  void connectedWhenEveryBrokerOfTheServicesRoutesAnsweredItsLastCheck() {
    PolledBrokerConnectivity connectivity =
        connectivity(EnumSet.of(Transport.KAFKA, Transport.RABBITMQ));

    assertThat(connectivity.connected()).as("nothing checked yet").isFalse();
    checkAll(connectivity);
    assertThat(connectivity.connected()).isTrue();

    rabbit.reachable = false;
    checkAll(connectivity);
    assertThat(connectivity.connected()).isFalse();
    assertThat(connectivity.byTransport())
        .isEqualTo(Map.of(Transport.KAFKA, true, Transport.RABBITMQ, false));

    rabbit.reachable = true;
    checkAll(connectivity);
    assertThat(connectivity.connected()).isTrue();
  }

  @Test
  void aBrokerTheServiceHasNoRouteOnDoesNotCount() {
    PolledBrokerConnectivity connectivity = connectivity(EnumSet.of(Transport.KAFKA));
    redis.reachable = false;

    connectivity.check(kafka);

    assertThat(connectivity.connected()).isTrue();
    assertThat(connectivity.byTransport()).containsOnlyKeys(Transport.KAFKA);
  }

  @Test
  void aCheckThatHasNotAnsweredForAFewSecondsReadsUnreachable() {
    PolledBrokerConnectivity connectivity = connectivity(EnumSet.of(Transport.REDIS));
    checkAll(connectivity);

    nanos.addAndGet(PolledBrokerConnectivity.STALE_AFTER.toNanos());
    assertThat(connectivity.connected()).isTrue();
    nanos.addAndGet(1);
    assertThat(connectivity.connected()).isFalse();
  }

  @Test
  void aCheckThatThrowsReadsUnreachable() {
    PolledBrokerConnectivity connectivity = connectivity(EnumSet.of(Transport.RABBITMQ));
    checkAll(connectivity);
    rabbit.failure = new IllegalStateException("Connection refused");

    checkAll(connectivity);

    assertThat(connectivity.connected()).isFalse();
  }

  @Test
  void aServiceWithoutBrokersIsAlwaysConnected() {
    assertThat(connectivity(EnumSet.noneOf(Transport.class)).connected()).isTrue();
  }

  private static final class Check implements BrokerCheck {
    private final Transport transport;
    volatile boolean reachable = true;
    volatile RuntimeException failure;

    Check(Transport transport) {
      this.transport = transport;
    }

    @Override
    public Transport transport() {
      return transport;
    }

    @Override
    public boolean reachable() {
      if (failure != null) {
        throw failure;
      }
      return reachable;
    }
  }
}
