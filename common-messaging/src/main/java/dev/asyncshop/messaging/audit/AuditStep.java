package dev.asyncshop.messaging.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audit record of a business flow: a step in the life of one of its messages, in one service.
 *
 * @param at when the step ended
 * @param service the service that wrote it
 * @param outcome the step (PUBLISHED, RECEIVED, HANDLED, DEAD_LETTERED, PARKED, REPLAYED, ...)
 * @param type the message type, when known
 * @param transport kafka, rabbitmq or redis
 * @param destination the topic, queue or channel
 * @param messageId the message's id, when it had one
 * @param attempt the handler run the record is about; 0 for publish and receive
 * @param detail the exception or reason of a failure
 * @param principal on whose behalf: the customer, or the operator of a replay or an edit
 * @param replayOf the parking lot's id of the dead letter a replayed message came from
 * @param chainId the hash chain of the instance that wrote it
 * @param sequence its place in that chain
 */
public record AuditStep(
    Instant at,
    String service,
    String outcome,
    @Nullable String type,
    @Nullable String transport,
    @Nullable String destination,
    @Nullable String messageId,
    int attempt,
    @Nullable String detail,
    @Nullable String principal,
    @Nullable String replayOf,
    @Nullable String chainId,
    @Nullable Long sequence) {}
