package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.Reply;

/**
 * A query the service answered, and its answer (or its failure).
 *
 * @param query the query as it arrived
 * @param reply what went back to the asker
 */
public record AnsweredQuery(InMemoryMessage query, Reply reply) {}
