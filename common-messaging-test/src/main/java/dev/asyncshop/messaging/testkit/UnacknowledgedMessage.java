package dev.asyncshop.messaging.testkit;

/**
 * A message the pipeline neither handled nor dead-lettered: a broker would deliver it again. The
 * kit does not; a test sees it here, a message the test itself sent fails that send, and any other
 * fails the test at its end unless the test read it.
 *
 * @param message the message
 * @param failure why the pipeline gave it back
 */
public record UnacknowledgedMessage(InMemoryMessage message, Throwable failure) {}
