package dev.asyncshop.messaging.test;

import dev.asyncshop.messaging.MessageType;

/** The messages of the test application, one per kind. */
public final class TestMessages {

  private TestMessages() {}

  @MessageType("test.event.v1")
  public record TestEvent(String key, String text) {}

  @MessageType("test.command.v1")
  public record TestCommand(String text) {}

  @MessageType("test.query.v1")
  public record TestQuery(String question) {}

  public record TestAnswer(String answer) {}

  @MessageType("test.notice.v1")
  public record TestNotice(String text) {}

  /** Routed but handled by nobody in the test application. */
  @MessageType("test.unhandled.v1")
  public record UnhandledCommand(String text) {}
}
