package dev.asyncshop.messaging.spi;

/**
 * The order of each publisher step, outermost first, with gaps of a hundred. The transport's send
 * comes after the last step. Encrypt comes before sign, so the signature covers the ciphertext and
 * the encryption attributes that travel, and both after the span, whose trace context the signature
 * must cover too.
 */
public final class PublisherStepOrder {

  /**
   * Writes the {@code PUBLISHED} or {@code PUBLISH_FAILED} audit record when the broker answered.
   */
  public static final int AUDIT = 100;

  /** Counts the send by outcome. */
  public static final int METRICS = 200;

  /** Reserved: starts the producer's tracing span and puts its context in the envelope. */
  public static final int TRACING_SPAN = 300;

  /**
   * Encrypts the payload of a route with {@code encrypt: true} (AES-256-GCM with a fresh data key,
   * wrapped by the active master key of {@code messaging.encryption}) and names the key, the
   * wrapped data key and the nonce in the envelope's extensions.
   */
  public static final int ENCRYPT = 400;

  /**
   * Signs the message as this service (Ed25519, over every attribute and the payload), when {@code
   * messaging.signing.key} is set.
   */
  public static final int SIGN = 500;

  private PublisherStepOrder() {}
}
