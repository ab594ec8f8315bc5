package dev.asyncshop.messaging.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an audit record joins its chain, and the byte form its hash is computed over.
 *
 * <p>Every running instance of a service writes one chain: its id is the service's name, the
 * instance (host and process) and the time the instance's audit sink started, so replicas never
 * share one. Each record the Kafka sink sends is the audit record's JSON object with one more
 * member, {@code chain}, as its last:
 *
 * <pre>{@code
 * {...the record's members...,"chain":{"id":"order-service/host-4242/2026-12-03T10:00:00Z",
 *   "sequence":7,"previousHash":"<64 hex>","hash":"<64 hex>"}}
 * }</pre>
 *
 * <p>The first record of a chain has sequence 1 and a previous hash of 64 zeros; every further one
 * has the next sequence and the hash of the record before. A record that declares lost records
 * ({@code CHAIN_GAP}) has a {@code lost} member before its hash: {@code
 * "lost":[{"from":17,"to":18,"lastHash":"<64 hex>"}]}, the hash of each range's last record, which
 * the record after the range names as its previous one.
 *
 * <p><b>The canonical form</b> a record's hash is computed over is the record exactly as sent
 * (UTF-8 bytes of the Kafka record's value) without its own hash: the value with the 74 bytes
 * {@code ,"hash":"<64 lowercase hex>"} removed just before its closing {@code }}}. The hash is the
 * SHA-256 of those bytes, in lowercase hex. So every byte of the record but its own hash is
 * covered, whatever JSON settings the service writes with; the Kafka key, headers and timestamp are
 * not.
 */
public final class AuditChain {

  /** The previous hash of a chain's first record. */
  public static final String ZERO_HASH = "0".repeat(64);

  private static final byte[] HASH_MEMBER = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSING = "}}".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_SUFFIX = HASH_MEMBER.length + 64 + 3;
  private static final HexFormat HEX = HexFormat.of();

  private AuditChain() {}

  /**
   * A range of sequence numbers a writer chained but could not send.
   *
   * @param from the first lost sequence
   * @param to the last lost sequence
   * @param lastHash the hash of the record of sequence {@code to}
   */
  public record LostRange(long from, long to, String lastHash) {}

  /**
   * A record joined to its chain.
   *
   * @param value the bytes to send
   * @param hash its hash, the next record's previous one
   */
  public record Sealed(byte[] value, String hash) {}

  /** A chain's id: {@code service/instance/start}. */
  public static String chainId(String service, String instance, Instant start) {
    return service + "/" + instance + "/" + start;
  }

  /** A new SHA-256 digest; each thread that seals or checks records keeps one. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  /**
   * Adds the chain member to a record's JSON object and computes its hash.
   *
   * @param record the audit record as one JSON object
   * @param lost for a record declaring lost ones, their ranges; empty otherwise
   * @throws IllegalArgumentException when {@code record} is not a JSON object
   */
  public static Sealed seal(
      byte[] record,
      String chainId,
      long sequence,
      String previousHash,
      List<LostRange> lost,
      MessageDigest sha256) {
    int end = record.length;
    while (end > 0 && Character.isWhitespace(record[end - 1])) {
      end--;
    }
    if (end < 2 || record[end - 1] != '}') {
      throw new IllegalArgumentException("An audit record must be a JSON object");
    }
    int last = end - 2;
    while (last > 0 && Character.isWhitespace(record[last])) {
      last--;
    }
    boolean empty = record[last] == '{';
    StringBuilder chain = new StringBuilder(160 + lost.size() * 100);
    chain.append(empty ? "" : ",").append("\"chain\":{\"id\":");
    quote(chainId, chain);
    chain.append(",\"sequence\":").append(sequence);
    chain.append(",\"previousHash\":\"").append(previousHash).append('"');
    if (!lost.isEmpty()) {
      chain.append(",\"lost\":[");
      for (int i = 0; i < lost.size(); i++) {
        LostRange range = lost.get(i);
        chain.append(i == 0 ? "{" : ",{").append("\"from\":").append(range.from());
        chain.append(",\"to\":").append(range.to());
        chain.append(",\"lastHash\":\"").append(range.lastHash()).append("\"}");
      }
      chain.append(']');
    }
    byte[] member = chain.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(end + member.length + HASH_SUFFIX);
    out.write(record, 0, end - 1);
    out.write(member, 0, member.length);
    int canonicalEnd = out.size();
    out.write(CLOSING, 0, CLOSING.length);
    byte[] canonical = out.toByteArray();
    String hash = hash(canonical, sha256);
    byte[] value = Arrays.copyOf(canonical, canonicalEnd + HASH_SUFFIX);
    System.arraycopy(HASH_MEMBER, 0, value, canonicalEnd, HASH_MEMBER.length);
    byte[] hex = hash.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hex, 0, value, canonicalEnd + HASH_MEMBER.length, hex.length);
    value[value.length - 3] = '"';
    value[value.length - 2] = '}';
    value[value.length - 1] = '}';
    return new Sealed(value, hash);
  }

  /**
   * The bytes a record's hash is computed over: its value without its own hash.
   *
   * @return {@code null} when the value does not end with a chain hash as the writer puts it
   */
  public static byte @Nullable [] canonicalForm(byte[] value) {
    int start = value.length - HASH_SUFFIX;
    if (start < 0
        || !Arrays.equals(
            value, start, start + HASH_MEMBER.length, HASH_MEMBER, 0, HASH_MEMBER.length)
        || value[value.length - 3] != '"'
        || value[value.length - 2] != '}'
        || value[value.length - 1] != '}') {
      return null;
    }
    for (int i = start + HASH_MEMBER.length; i < value.length - 3; i++) {
      byte b = value[i];
      if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
        return null;
      }
    }
    byte[] canonical = Arrays.copyOf(value, start + CLOSING.length);
    System.arraycopy(CLOSING, 0, canonical, start, CLOSING.length);
    return canonical;
  }

  /** The SHA-256 of the bytes, in lowercase hex. */
  public static String hash(byte[] canonical, MessageDigest sha256) {
    sha256.reset();
    return HEX.formatHex(sha256.digest(canonical));
  }

  /** The hash a value carries, or {@code null} when it carries none where the writer puts it. */
  public static @Nullable String carriedHash(byte[] value) {
    if (canonicalForm(value) == null) {
      return null;
    }
    return new String(value, value.length - 3 - 64, 64, StandardCharsets.US_ASCII);
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
