package dev.asyncshop.shipping.quote;

import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes the tariff at every start, through the outbox: the tariff changes only with a release
 * of this service, so each start publishes the one it quotes from, and the compacted topic keeps
 * the last. Publishing it again unchanged is harmless.
 */
@Component
class TariffPublication {

  private final Tariff tariff;
  private final Outbox outbox;

  TariffPublication(Tariff tariff, Outbox outbox) {
    this.tariff = tariff;
    this.outbox = outbox;
  }

  @EventListener(ApplicationReadyEvent.class)
  @Transactional
  public void publish() {
    outbox.publish(tariff.published(), MessageOptions.about(PublishedTariff.KEY));
  }
}
