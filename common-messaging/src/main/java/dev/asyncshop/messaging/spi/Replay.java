package dev.asyncshop.messaging.spi;

/**
 * A parked message handed to its consumer again by an operator.
 *
 * @param parkedId the parking lot's id of it
 * @param operator who replayed it
 * @param count which replay of it this is, from 1
 * @param edited its payload was changed by an operator (audited), so the signature its sender made
 *     no longer covers it
 */
public record Replay(String parkedId, String operator, int count, boolean edited) {}
