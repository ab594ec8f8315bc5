package dev.asyncshop.messaging.core;

import tools.jackson.databind.json.JsonMapper;

/** Turns message records into JSON and back. */
public final class PayloadCodec {

  private final JsonMapper mapper;

  public PayloadCodec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  public byte[] write(Object payload) {
    return mapper.writeValueAsBytes(payload);
  }

  /**
   * Reads a payload; a body that is not JSON of the expected shape makes the message poison.
   *
   * @throws PoisonMessageException if the bytes do not bind to the type
   */
  public <T> T read(byte[] data, Class<T> type) {
    try {
      return mapper.readValue(data, type);
    } catch (RuntimeException e) {
      throw new PoisonMessageException(
          "Payload is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public JsonMapper mapper() {
    return mapper;
  }
}
