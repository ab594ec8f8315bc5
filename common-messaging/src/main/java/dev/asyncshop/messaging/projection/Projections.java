package dev.asyncshop.messaging.projection;

import java.util.List;

/**
 * The projections of this service and their rebuilds.
 *
 * <p>A projection's engine reads its topics from the first record, with no consumer group, and
 * applies each poll's records in one database transaction together with the offsets it got to, kept
 * in the generation's own schema: a crash or a failover goes on from there, and no record is
 * applied twice to one generation, or skipped. One instance of the service writes each projection
 * at a time (it holds a PostgreSQL advisory lock); the others stand by.
 *
 * <p>A rebuild makes a new generation beside the active one and writes it from the first record,
 * while the active one keeps following its topics for readers. Once the new one has read up to
 * where the topics ended when it started, readers are switched over in one transaction (the views
 * are replaced), and the old generation's schema is dropped. This needs every record still on the
 * topics: a projection's topics keep their records forever ({@code retention.ms=-1}).
 */
public interface Projections {

  /** Every projection of this service, by name. */
  List<ProjectionStatus> all();

  /**
   * @throws ProjectionException {@link ProjectionException.Problem#UNKNOWN_PROJECTION}
   */
  ProjectionStatus status(String name);

  /**
   * Whether readers can query the projection's tables: it has an active generation. Until the first
   * one is made (within seconds of the first start, unless the database or Kafka is away) the views
   * do not exist. One cheap query, fit for every request.
   *
   * @throws ProjectionException {@link ProjectionException.Problem#UNKNOWN_PROJECTION}
   */
  boolean readable(String name);

  /**
   * Asks for a new generation, written from the first record beside the active one; the instance
   * that writes the projection starts it within a second or two.
   *
   * @param requestedBy who asks, for the record
   * @return the projection, with the new generation
   * @throws ProjectionException {@link ProjectionException.Problem#UNKNOWN_PROJECTION}, or {@link
   *     ProjectionException.Problem#REBUILD_IN_PROGRESS} when one is under way
   */
  ProjectionStatus rebuild(String name, String requestedBy);

  /**
   * Gives up the rebuild under way: its generation is retired and its schema dropped, and the
   * active one goes on as it was. For a rebuild that cannot finish, such as one whose script fails.
   *
   * @throws ProjectionException {@link ProjectionException.Problem#UNKNOWN_PROJECTION}, or {@link
   *     ProjectionException.Problem#NO_REBUILD}
   */
  ProjectionStatus cancelRebuild(String name, String cancelledBy);
}
