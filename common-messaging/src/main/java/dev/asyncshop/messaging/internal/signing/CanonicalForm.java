package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a signature covers: every CloudEvents attribute and extension of the envelope except
 * the signature itself, then the payload exactly as it travels.
 *
 * <pre>
 * len(scheme)  "asyncshop-signature-v1"        the scheme, so a signature made for
 *                                              something else never verifies here
 * for each attribute, sorted by name:          specversion, id, source, type, time,
 *   len(name)  name  len(value)  value         subject, datacontenttype, the extensions
 *                                              (correlationid, traceparent,
 *                                              signaturekeyid, ...), all but signature
 * len(payload)  payload
 * </pre>
 *
 * Each {@code len} is a 4-byte big-endian count of the bytes that follow it; names and values are
 * UTF-8. The lengths leave no room for two different envelopes to give the same bytes, whatever
 * their values contain. An attribute that is absent is left out, so adding or removing one breaks
 * the signature as surely as changing it. The replay lineage ({@code replayof}, {@code replayedby},
 * {@code replaycount}) is left out too: the parking lot writes it onto a message long after its
 * sender signed it, and a replay must still verify. The {@code time} is as the envelope writes it
 * (RFC 3339, UTC), the form in which every transport carries it.
 *
 * <p>Public so that a sender outside this library (a test, a tool) can sign the same bytes.
 */
public final class CanonicalForm {

  static final String SCHEME = "asyncshop-signature-v1";

  private CanonicalForm() {}

  public static byte[] of(Envelope envelope, byte[] payload) {
    Map<String, String> attributes = new TreeMap<>(CloudEventAttributes.of(envelope));
    attributes.remove(SignatureExtensions.SIGNATURE);
    attributes.remove(CloudEventAttributes.REPLAYOF);
    attributes.remove(CloudEventAttributes.REPLAYEDBY);
    attributes.remove(CloudEventAttributes.REPLAYCOUNT);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + payload.length);
    write(out, SCHEME.getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      write(out, attribute.getKey().getBytes(StandardCharsets.UTF_8));
      write(out, attribute.getValue().getBytes(StandardCharsets.UTF_8));
    }
    write(out, payload);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }
}
