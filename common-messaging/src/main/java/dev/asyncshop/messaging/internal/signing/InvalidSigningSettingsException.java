package dev.asyncshop.messaging.internal.signing;

/** Signing settings the service cannot start with; the message says what to change. */
public class InvalidSigningSettingsException extends IllegalStateException {

  InvalidSigningSettingsException(String message) {
    super(message);
  }

  InvalidSigningSettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
