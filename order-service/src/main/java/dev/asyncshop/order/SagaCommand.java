package dev.asyncshop.order;

/**
 * A command an order's step sends to another service over its queue. Written to the outbox in the
 * transaction that appends the step's events, so the order's state and what it asked of others
 * commit together. Not an event: an order rebuilt from its events sends nothing again.
 */
public record SagaCommand(Object message) {}
