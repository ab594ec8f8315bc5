package dev.asyncshop.messaging.test;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.test.TestMessages.TestAnswer;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.messaging.test.TestMessages.TestQuery;

/** Plain handlers: they report to the {@link Probe} and nothing else. */
public class TestHandlers {

  private final Probe probe;

  public TestHandlers(Probe probe) {
    this.probe = probe;
  }

  @HandleMessage
  void on(TestEvent event, Envelope envelope) {
    probe.run("event", event.text(), envelope);
  }

  @HandleMessage
  void on(TestCommand command, Envelope envelope) {
    probe.run("command", command.text(), envelope);
  }

  @HandleMessage
  TestAnswer on(TestQuery query, Envelope envelope) {
    probe.run("query", query.question(), envelope);
    return new TestAnswer("answer to " + query.question());
  }

  @HandleMessage
  void on(TestNotice notice, Envelope envelope) {
    probe.run("notice", notice.text(), envelope);
  }
}
