package dev.asyncshop.messaging.spi;

/**
 * Turns message records into the bytes of a payload and back; JSON by default. Declare a bean of
 * this type to replace it (payloads on Redis must still be JSON, since they are embedded in a JSON
 * CloudEvent).
 */
public interface PayloadCodec {

  byte[] write(Object payload);

  /**
   * Reads a payload.
   *
   * @throws PoisonMessageException if the bytes do not bind to the type; the message can never be
   *     handled as it is
   */
  <T> T read(byte[] data, Class<T> type);
}
