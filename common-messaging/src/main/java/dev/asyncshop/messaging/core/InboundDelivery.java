package dev.asyncshop.messaging.core;

/** One message as a transport received it; the pipeline asks it for what it needs. */
public interface InboundDelivery {

  /**
   * Reads the envelope from the transport's format.
   *
   * @throws PoisonMessageException if the envelope is missing or incomplete
   */
  DecodedMessage decode();

  /**
   * Stores the message in its dead-letter destination with the given headers and returns only once
   * the broker has it; throws if it could not be stored, so the message is not acknowledged.
   */
  void deadLetter(DeadLetter deadLetter) throws Exception;
}
