package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageOptions;

/**
 * Fills in the envelope of each outgoing message. The default gives every message a new UUID, the
 * service as source, the current time, and joins the flow of the message being handled on the
 * thread ({@link CurrentMessage}): its correlation id, its id as cause, its trace. Declare a bean
 * of this type to replace it.
 */
public interface EnvelopeFactory {

  /** The envelope of a new message of the given type. */
  Envelope create(String type, MessageOptions options);

  /**
   * The envelope of a reply to a query: a new id, the reply type, this service as source, the
   * query's correlation id, subject and partition key, and the query's id as cause.
   *
   * @param dataContentType the media type of the reply's payload
   */
  Envelope reply(Envelope query, String replyType, String dataContentType);
}
