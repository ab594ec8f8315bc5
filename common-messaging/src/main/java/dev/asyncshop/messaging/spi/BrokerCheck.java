package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Transport;

/**
 * One broker's reachability, as its transport tells it, for {@link
 * dev.asyncshop.messaging.BrokerConnectivity}. Called about once a second on a thread of its own,
 * so it may block, up to its client's timeouts; a check that takes longer than a few seconds counts
 * as unreachable meanwhile.
 */
public interface BrokerCheck {

  /** The broker this checks. */
  Transport transport();

  /**
   * Whether the broker can be reached now.
   *
   * @throws Exception counted as unreachable
   */
  boolean reachable() throws Exception;
}
