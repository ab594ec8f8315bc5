package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents Kafka protocol binding, binary mode: each attribute is a {@code ce_} header,
 * except the content type, which is the {@code content-type} header.
 */
public final class KafkaEnvelopeHeaders {

  static final String PREFIX = "ce_";
  static final String CONTENT_TYPE = "content-type";

  private KafkaEnvelopeHeaders() {}

  static Headers write(Envelope envelope) {
    RecordHeaders headers = new RecordHeaders();
    for (Map.Entry<String, String> attribute : CloudEventAttributes.of(envelope).entrySet()) {
      String name =
          attribute.getKey().equals(CloudEventAttributes.DATACONTENTTYPE)
              ? CONTENT_TYPE
              : PREFIX + attribute.getKey();
      headers.add(name, attribute.getValue().getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }

  /**
   * @throws dev.asyncshop.messaging.spi.PoisonMessageException if required headers are missing
   */
  public static Envelope read(Headers headers) {
    List<String> present = new ArrayList<>();
    for (Header header : headers) {
      if (header.key().startsWith(PREFIX)) {
        present.add(header.key().substring(PREFIX.length()));
      }
    }
    return CloudEventAttributes.toEnvelope(
        name ->
            lastValue(
                headers,
                name.equals(CloudEventAttributes.DATACONTENTTYPE) ? CONTENT_TYPE : PREFIX + name),
        present);
  }

  private static @Nullable String lastValue(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
