package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.spi.Reply;

/**
 * A check a query's reply must pass where its asker receives it, before the caller reads it.
 * Replies skip the consumer pipeline, so a security step that guards received messages needs this
 * twin to guard replies too. Public because the signing package implements it.
 */
@FunctionalInterface
public interface ReplyCheck {

  /**
   * @param replyRoute the asker's route for the reply: its type, as this service names it
   * @throws QueryFailedException if the caller must not read the reply
   */
  void check(Route replyRoute, Reply reply);
}
