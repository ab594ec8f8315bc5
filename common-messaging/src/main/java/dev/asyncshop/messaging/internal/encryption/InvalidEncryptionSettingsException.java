package dev.asyncshop.messaging.internal.encryption;

/** Encryption settings the service cannot start with; the message says what to change. */
public class InvalidEncryptionSettingsException extends IllegalStateException {

  InvalidEncryptionSettingsException(String message) {
    super(message);
  }

  InvalidEncryptionSettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
