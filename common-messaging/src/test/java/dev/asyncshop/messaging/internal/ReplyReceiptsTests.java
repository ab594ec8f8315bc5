package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ReplyReceiptsTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final ReplyReceipts receipts =
      new ReplyReceipts(fixtures.metrics, fixtures.audit, fixtures.clock, List.of());
  private final Envelope queryEnvelope = fixtures.envelope(PipelineFixtures.QUERY.type());
  private final OutboundMessage query =
      new OutboundMessage(PipelineFixtures.QUERY, queryEnvelope, new byte[0]);

  private Reply reply(String type, String body, @Nullable DeadLetterReason failure) {
    return new Reply(
        fixtures.envelopes.reply(queryEnvelope, type, "text/plain"),
        body.getBytes(StandardCharsets.UTF_8),
        failure);
  }

  @Test
  void anAnsweredQuerysReplyIsCountedHandledUnderTheReplyTypeOfTheQuerysRoute() {
    receipts.received(query, reply("fixture.query.reply.v1", "{}", null), Duration.ofMillis(3));

    assertThat(
            fixtures.count(
                MessagingMetrics.CONSUMED, "type", "fixture.query.reply.v1", "outcome", "handled"))
        .isEqualTo(1.0);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.RECEIVED);
    assertThat(fixtures.audited.get(0).detail()).isNull();
  }

  @Test
  void aFailedQuerysReplyIsCountedFailedAndAuditedWithItsFailure() {
    receipts.received(
        query,
        reply("fixture.query.reply.v1", "NON_RETRYABLE: no", DeadLetterReason.NON_RETRYABLE),
        Duration.ofMillis(3));

    assertThat(fixtures.count(MessagingMetrics.CONSUMED, "outcome", "failed")).isEqualTo(1.0);
    assertThat(fixtures.count(MessagingMetrics.CONSUMED, "outcome", "handled")).isZero();
    assertThat(fixtures.audited.get(0).detail()).isEqualTo("NON_RETRYABLE: no");
  }

  @Test
  void theTypeTagIsThisServicesWordForTheReplyNotTheTypeTheAnswererWrote() {
    receipts.received(
        query,
        reply("messaging.unreadable-query.reply.v1", "POISON: ?", DeadLetterReason.POISON),
        Duration.ofMillis(3));

    assertThat(fixtures.count(MessagingMetrics.CONSUMED, "type", "fixture.query.reply.v1"))
        .isEqualTo(1.0);
    assertThat(
            fixtures.count(
                MessagingMetrics.CONSUMED, "type", "messaging.unreadable-query.reply.v1"))
        .isZero();
  }
}
