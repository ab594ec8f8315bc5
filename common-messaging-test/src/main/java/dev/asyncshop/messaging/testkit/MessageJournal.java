package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.AuditRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Everything that happened on the in-memory transports since the last reset, in order. */
final class MessageJournal {

  final List<InMemoryMessage> outbound = new CopyOnWriteArrayList<>();
  final List<HandledMessage> handled = new CopyOnWriteArrayList<>();
  final List<HandledMessage> duplicates = new CopyOnWriteArrayList<>();
  final List<DeadLetteredMessage> deadLetters = new CopyOnWriteArrayList<>();
  final List<AnsweredQuery> answered = new CopyOnWriteArrayList<>();
  final List<UnacknowledgedMessage> unacknowledged = new CopyOnWriteArrayList<>();
  final List<AuditRecord> audit = new CopyOnWriteArrayList<>();

  /**
   * How many of {@link #unacknowledged} the test has seen: read them from the kit, or had a send of
   * its own fail with them.
   */
  volatile int unacknowledgedSeen;

  void clear() {
    outbound.clear();
    handled.clear();
    duplicates.clear();
    deadLetters.clear();
    answered.clear();
    unacknowledged.clear();
    audit.clear();
    unacknowledgedSeen = 0;
  }
}
