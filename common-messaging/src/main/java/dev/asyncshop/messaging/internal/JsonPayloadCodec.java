package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import tools.jackson.databind.json.JsonMapper;

/** Message records as JSON, through the application's {@link JsonMapper}. */
final class JsonPayloadCodec implements PayloadCodec {

  private final JsonMapper mapper;

  JsonPayloadCodec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public byte[] write(Object payload) {
    return mapper.writeValueAsBytes(payload);
  }

  @Override
  public <T> T read(byte[] data, Class<T> type) {
    try {
      return mapper.readValue(data, type);
    } catch (RuntimeException e) {
      throw new PoisonMessageException(
          "Payload is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
