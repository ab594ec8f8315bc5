package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.projection.GenerationState;
import dev.asyncshop.messaging.projection.Projection;
import dev.asyncshop.messaging.projection.ProjectionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The projections' generations in {@code projection_generation}, and each generation's schema: its
 * tables, made from the projection's script, the offsets it was written up to ({@code
 * projection_offset}, beside its tables), and the views through which readers see the active one.
 */
final class GenerationStore {

  /** Where a generation's writes got to, per partition, in its own schema. */
  static final String OFFSETS = "projection_offset";

  /** The ids of the messages a generation applied, in its own schema. */
  static final String HANDLED = "projection_handled";

  /** The next offset of a partition nothing was read from yet: its first record, whichever. */
  static final long FROM_START = -1;

  /**
   * One generation, as {@code projection_generation} holds it.
   *
   * @param checksum SHA-256 of the script its tables were made from
   */
  record Row(
      String projection,
      int generation,
      GenerationState state,
      String schema,
      String checksum,
      Instant requestedAt,
      String requestedBy,
      @Nullable Instant switchedAt) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  GenerationStore(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The schema of a generation: only letters, digits and underscores, so it needs no quoting. */
  static String schemaOf(String projection, int generation) {
    return "projection_" + projection.replace('-', '_') + "_" + generation;
  }

  static String checksumOf(Projection projection) {
    try (InputStream in = projection.schema().getInputStream()) {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the schema script of projection " + projection.name(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The generations whose schema is not dropped yet, newest first. */
  List<Row> live(String projection) {
    return jdbc.query(
        "select projection, generation, state, schema_name, script_checksum, requested_at,"
            + " requested_by, switched_at from projection_generation"
            + " where projection = ? and dropped_at is null order by generation desc",
        (rs, i) ->
            new Row(
                rs.getString(1),
                rs.getInt(2),
                GenerationState.valueOf(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                rs.getString(7),
                rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant()),
        projection);
  }

  /**
   * Whether a generation older than {@code generation} was made from the script of that checksum:
   * an instance with that script is of a version the active generation's has replaced.
   */
  boolean madeBefore(String projection, String checksum, int generation) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select exists (select 1 from projection_generation where projection = ?"
                + " and script_checksum = ? and generation < ?)",
            Boolean.class,
            projection,
            checksum,
            generation));
  }

  /** Retires the generation being built, if any; the keeper then drops its schema. */
  boolean cancel(String projection) {
    return jdbc.update(
            "update projection_generation set state = 'RETIRED', retired_at = ?"
                + " where projection = ? and state = 'BUILDING'",
            Timestamp.from(clock.instant()),
            projection)
        > 0;
  }

  boolean hasActive(String projection) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select exists (select 1 from projection_generation where projection = ?"
                + " and state = 'ACTIVE' and dropped_at is null)",
            Boolean.class,
            projection));
  }

  /**
   * Records a new generation: the first one is active at once (there is nothing older to serve),
   * its tables and views made in the same transaction; any later one is built beside the active
   * one, its tables made by the keeper before it starts to write them.
   *
   * @throws ProjectionException REBUILD_IN_PROGRESS when a generation is being built already
   */
  Row request(Projection definition, String checksum, String requestedBy) {
    String projection = definition.name();
    try {
      return transactions.execute(
          status -> {
            Integer last =
                jdbc.queryForObject(
                    "select max(generation) from projection_generation where projection = ?",
                    Integer.class,
                    projection);
            int generation = last == null ? 1 : last + 1;
            GenerationState state =
                last == null ? GenerationState.ACTIVE : GenerationState.BUILDING;
            Instant now = clock.instant();
            jdbc.update(
                "insert into projection_generation (projection, generation, state, schema_name,"
                    + " script_checksum, requested_at, requested_by, switched_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?)",
                projection,
                generation,
                state.name(),
                schemaOf(projection, generation),
                checksum,
                Timestamp.from(now),
                requestedBy,
                state == GenerationState.ACTIVE ? Timestamp.from(now) : null);
            Row row =
                new Row(
                    projection,
                    generation,
                    state,
                    schemaOf(projection, generation),
                    checksum,
                    now,
                    requestedBy,
                    state == GenerationState.ACTIVE ? now : null);
            if (state == GenerationState.ACTIVE) {
              prepare(definition, row);
            }
            return row;
          });
    } catch (DuplicateKeyException e) {
      throw new ProjectionException(
          ProjectionException.Problem.REBUILD_IN_PROGRESS,
          "Projection "
              + projection
              + " is being rebuilt already; wait for that rebuild to switch over, then ask again");
    }
  }

  /**
   * Makes the generation's schema, its tables from the projection's script and its offsets table,
   * unless that was done before; for the active generation, points the views at it as well.
   */
  void prepare(Projection projection, Row row) {
    transactions.executeWithoutResult(
        status -> {
          if (made(row.schema())) {
            return;
          }
          jdbc.execute("create schema if not exists " + row.schema());
          jdbc.execute("set local search_path to " + row.schema());
          jdbc.execute(
              (ConnectionCallback<Void>)
                  connection -> {
                    ScriptUtils.executeSqlScript(connection, projection.schema());
                    return null;
                  });
          jdbc.execute(
              "create table "
                  + OFFSETS
                  + " (topic varchar(249) not null, partition_no integer not null,"
                  + " next_offset bigint not null, events bigint not null,"
                  + " primary key (topic, partition_no))");
          jdbc.execute("create table " + HANDLED + " (message_id varchar(200) primary key)");
          jdbc.execute("set local search_path to default");
          if (row.state() == GenerationState.ACTIVE) {
            pointViewsAt(row.schema());
          }
        });
  }

  /**
   * Switches readers over to a generation that has caught up, in one transaction: it becomes the
   * active one, the one before is retired, and the views point at its tables.
   *
   * @return whether it switched; {@code false} when the generation is no longer being built
   */
  boolean switchTo(Row row) {
    Boolean switched =
        transactions.execute(
            status -> {
              List<String> states =
                  jdbc.queryForList(
                      "select state from projection_generation where projection = ?"
                          + " and generation = ? for update",
                      String.class,
                      row.projection(),
                      row.generation());
              if (!states.equals(List.of(GenerationState.BUILDING.name()))) {
                return false;
              }
              Timestamp now = Timestamp.from(clock.instant());
              jdbc.update(
                  "update projection_generation set state = 'RETIRED', retired_at = ?"
                      + " where projection = ? and state = 'ACTIVE'",
                  now,
                  row.projection());
              jdbc.update(
                  "update projection_generation set state = 'ACTIVE', switched_at = ?"
                      + " where projection = ? and generation = ?",
                  now,
                  row.projection(),
                  row.generation());
              pointViewsAt(row.schema());
              return true;
            });
    return Boolean.TRUE.equals(switched);
  }

  /**
   * Drops a retired generation's schema, and with it its tables and any view still pointing at them
   * (a table the newer script no longer makes).
   */
  void drop(Row row) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.execute("drop schema if exists " + row.schema() + " cascade");
          jdbc.update(
              "update projection_generation set dropped_at = ?"
                  + " where projection = ? and generation = ?",
              Timestamp.from(clock.instant()),
              row.projection(),
              row.generation());
        });
  }

  /** One view in the default schema per table of the generation, by the table's name. */
  private void pointViewsAt(String schema) {
    List<String> tables =
        jdbc.queryForList(
            "select table_name from information_schema.tables where table_schema = ?"
                + " and table_type = 'BASE TABLE' and table_name not in (?, ?) order by table_name",
            String.class,
            schema,
            OFFSETS,
            HANDLED);
    for (String table : tables) {
      jdbc.execute("drop view if exists " + table);
      jdbc.execute("create view " + table + " as select * from " + schema + "." + table);
    }
  }

  /** Where the generation's writes got to: the next offset of each partition written so far. */
  Map<TopicPartition, Long> offsets(String schema) {
    return readOffsets("select topic, partition_no, next_offset from " + schema + "." + OFFSETS);
  }

  /**
   * The same, with the rows locked until the caller's transaction ends: no other writer can move
   * them meanwhile, so a writer that finds them where it left them is the only one.
   */
  Map<TopicPartition, Long> lockOffsets(String schema) {
    return readOffsets(
        "select topic, partition_no, next_offset from " + schema + "." + OFFSETS + " for update");
  }

  private Map<TopicPartition, Long> readOffsets(String sql) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    jdbc.query(
        sql,
        rs -> {
          offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
        });
    return offsets;
  }

  /**
   * Gives every partition a row, from its start, unless it has one; and makes the table of applied
   * message ids, unless the generation has it.
   */
  void track(String schema, List<TopicPartition> partitions) {
    jdbc.execute(
        "create table if not exists "
            + schema
            + "."
            + HANDLED
            + " (message_id varchar(200) primary key)");
    for (TopicPartition partition : partitions) {
      jdbc.update(
          "insert into "
              + schema
              + "."
              + OFFSETS
              + " (topic, partition_no, next_offset, events) values (?, ?, ?, 0)"
              + " on conflict (topic, partition_no) do nothing",
          partition.topic(),
          partition.partition(),
          FROM_START);
    }
  }

  /**
   * In the caller's transaction: the partitions' next offsets, and how many records were read.
   *
   * @throws IllegalStateException if an offset would go back: a writer reading again what it wrote
   */
  void advance(String schema, Map<TopicPartition, Long> next, Map<TopicPartition, Long> read) {
    next.forEach(
        (partition, offset) -> {
          int moved =
              jdbc.update(
                  "insert into "
                      + schema
                      + "."
                      + OFFSETS
                      + " (topic, partition_no, next_offset, events) values (?, ?, ?, ?)"
                      + " on conflict (topic, partition_no) do update"
                      + " set next_offset = excluded.next_offset,"
                      + " events = "
                      + OFFSETS
                      + ".events + excluded.events"
                      + " where "
                      + OFFSETS
                      + ".next_offset < excluded.next_offset",
                  partition.topic(),
                  partition.partition(),
                  offset,
                  read.getOrDefault(partition, 0L));
          if (moved != 1) {
            throw new IllegalStateException(
                "The offset of %s in %s would go back to %d".formatted(partition, schema, offset));
          }
        });
  }

  /** Whether the generation's schema and tables were made. */
  boolean made(String schema) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select exists (select 1 from information_schema.tables"
                + " where table_schema = ? and table_name = ?)",
            Boolean.class,
            schema,
            OFFSETS));
  }

  /** Records the generation has read so far; 0 when its schema is not made yet. */
  long events(String schema) {
    if (!made(schema)) {
      return 0;
    }
    Long events =
        jdbc.queryForObject(
            "select coalesce(sum(events), 0) from " + schema + "." + OFFSETS, Long.class);
    return events == null ? 0 : events;
  }
}
