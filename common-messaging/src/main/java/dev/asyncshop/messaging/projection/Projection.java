package dev.asyncshop.messaging.projection;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.core.io.Resource;

/**
 * A read model kept from Kafka topics, declared as a bean beside the handlers that write it ({@link
 * dev.asyncshop.messaging.HandleMessage#projection()} with the same name).
 *
 * <p>Each version of the read model (a <em>generation</em>) lives in a database schema of its own,
 * made from {@code schema}: a script of {@code create table} and {@code create index} statements
 * with bare names, run with that schema first on the search path. Readers query the tables by the
 * same bare names, through views in the default schema that point at the generation in use; the
 * handlers write them by those names too, and the engine points them at the generation each record
 * is written to. A changed script takes effect by a rebuild, which the engine starts by itself when
 * it finds the generation in use was made from another script.
 *
 * <p>Most projections read messages through their handlers. A topic whose records are not messages
 * (the audit trail, say) is read with a {@link RawRecordHandler} instead ({@link #withRawTopic}).
 *
 * @param name lower-case letters, digits and hyphens, starting with a letter, at most 40 characters
 * @param schema the script that creates one generation's tables
 * @param rawTopics the handler of each topic read as raw records, by topic name
 */
public record Projection(String name, Resource schema, Map<String, RawRecordHandler> rawTopics) {

  /** A projection whose handlers are all {@code @HandleMessage(projection = name)} methods. */
  public Projection(String name, Resource schema) {
    this(name, schema, Map.of());
  }

  public Projection {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
    rawTopics = Map.copyOf(rawTopics);
    if (!name.matches("[a-z][a-z0-9-]{0,39}")) {
      throw new IllegalArgumentException(
          "Projection name '"
              + name
              + "': lower-case letters, digits and hyphens, starting with a letter, at most 40"
              + " characters");
    }
  }

  /** The same projection, also reading {@code topic} as raw records. */
  public Projection withRawTopic(String topic, RawRecordHandler handler) {
    Map<String, RawRecordHandler> all = new TreeMap<>(rawTopics);
    all.put(topic, handler);
    return new Projection(name, schema, all);
  }
}
