package dev.asyncshop.messaging.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.audit.AuditChainVerifier.ChainedRecord;
import dev.asyncshop.messaging.audit.BrokenLink.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The verdicts on chains written as a sink writes them, without a broker. */
class AuditChainVerifierTests {

  private static final String CHAIN = "svc/host-1/2026-12-03T10:00:00Z";
  private static final Instant LONG_AGO = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration SETTLE = Duration.ofMinutes(2);

  private final AuditChainVerifier verifier =
      new AuditChainVerifier(Map.of("bootstrap.servers", "unused:9092"), Duration.ofMinutes(2));

  /** A writer: each record chained to the one before, sent or not. */
  private final class Writer {
    long sequence;
    String previous = AuditChain.ZERO_HASH;
    final List<ConsumerRecord<byte[], byte[]>> sent = new ArrayList<>();

    AuditChain.Sealed write(
        String outcome, List<AuditChain.LostRange> lost, Instant at, boolean send) {
      String json = "{\"service\":\"svc\",\"outcome\":\"" + outcome + "\",\"detail\":\"d\"}";
      AuditChain.Sealed sealed =
          AuditChain.seal(
              json.getBytes(StandardCharsets.UTF_8),
              CHAIN,
              ++sequence,
              previous,
              lost,
              AuditChain.sha256());
      previous = sealed.hash();
      if (send) {
        sent.add(
            new ConsumerRecord<>(
                "audit",
                (int) (sequence % 3),
                sequence,
                at.toEpochMilli(),
                null,
                0,
                0,
                null,
                sealed.value(),
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty()));
      }
      return sealed;
    }

    AuditChain.Sealed write(String outcome) {
      return write(outcome, List.of(), LONG_AGO, true);
    }

    ChainVerdict verdict(boolean fromTheBeginning, Instant settledBefore) {
      return verdict(fromTheBeginning, null, settledBefore, false);
    }

    ChainVerdict verdict(
        boolean fromTheBeginning,
        @Nullable Instant retainedFrom,
        Instant settledBefore,
        boolean incomplete) {
      List<ChainedRecord> records =
          sent.stream().map(r -> verifier.parse(r, AuditChain.sha256())).toList();
      return AuditChainVerifier.judge(
              records, fromTheBeginning, retainedFrom, settledBefore, SETTLE, incomplete)
          .get(0);
    }

    ChainVerdict verdict() {
      return verdict(true, LONG_AGO.plusSeconds(60));
    }
  }

  @Test
  void aChainWithItsClosingRecordIsClosed() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    writer.write("RECEIVED");
    AuditChain.Sealed closing = writer.write("CHAIN_CLOSED");

    ChainVerdict verdict = writer.verdict();
    assertThat(verdict.headHash()).isEqualTo(closing.hash());
    assertThat(verdict.status()).isEqualTo(ChainVerdict.Status.CLOSED);
    assertThat(verdict.records()).isEqualTo(3);
    assertThat(verdict.lastSequence()).isEqualTo(3);
  }

  @Test
  void aGapItsWriterDeclaredIsBridgedByTheDeclaredHash() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    AuditChain.Sealed lost = writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED");
    writer.write("CHAIN_GAP", List.of(new AuditChain.LostRange(2, 2, lost.hash())), LONG_AGO, true);

    ChainVerdict verdict = writer.verdict();
    assertThat(verdict.brokenLink()).isNull();
    assertThat(verdict.declaredGaps()).extracting(DeclaredGap::from).containsExactly(2L);
    assertThat(verdict.status()).isEqualTo(ChainVerdict.Status.OPEN);
  }

  @Test
  void aGapDeclaredWithAnotherHashDoesNotBridge() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED");
    writer.write(
        "CHAIN_GAP", List.of(new AuditChain.LostRange(2, 2, "ee".repeat(32))), LONG_AGO, true);

    BrokenLink broken = writer.verdict().brokenLink();
    assertThat(broken.reason()).isEqualTo(Reason.LINK_MISMATCH);
    assertThat(broken.sequence()).isEqualTo(3);
  }

  @Test
  void aYoungHoleInAnOpenChainIsPendingNotBroken() {
    Writer writer = new Writer();
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    writer.write("PUBLISHED", List.of(), now, true);
    writer.write("RECEIVED", List.of(), now, false);
    writer.write("HANDLED", List.of(), now, true);

    ChainVerdict young = writer.verdict(true, now.minusSeconds(120));
    assertThat(young.brokenLink()).isNull();
    assertThat(young.pending()).contains("sequence 2");
    // Later records, minutes after the hole: it was no crash's tail, and it has settled.
    writer.write("PUBLISHED", List.of(), now.plusSeconds(600), true);
    ChainVerdict settled = writer.verdict(true, now.plusSeconds(601));
    assertThat(settled.brokenLink().reason()).isEqualTo(Reason.MISSING);
    assertThat(settled.brokenLink().sequence()).isEqualTo(2);
  }

  @Test
  void aKilledWritersChainWithHolesInItsLastMinutesIsOpenWithAnUnknownTail() {
    Writer writer = new Writer();
    writer.write("PUBLISHED", List.of(), LONG_AGO, true);
    writer.write("RECEIVED", List.of(), LONG_AGO.plusSeconds(30), true);
    // Died unsent in another partition's batch, while later records reached theirs.
    writer.write("HANDLED", List.of(), LONG_AGO.plusSeconds(300), false);
    writer.write("PUBLISHED", List.of(), LONG_AGO.plusSeconds(301), true);
    writer.write("RECEIVED", List.of(), LONG_AGO.plusSeconds(301), false);
    writer.write("HANDLED", List.of(), LONG_AGO.plusSeconds(302), true);

    ChainVerdict verdict = writer.verdict(true, LONG_AGO.plusSeconds(3_600));
    assertThat(verdict.brokenLink()).isNull();
    assertThat(verdict.status()).isEqualTo(ChainVerdict.Status.OPEN);
    assertThat(verdict.pending()).isNull();
    assertThat(verdict.unknownTail()).contains("sequences from 3 on are unknown");
  }

  @Test
  void aHoleBeforeTheLastMinutesOfAnUnclosedChainIsMissing() {
    Writer writer = new Writer();
    writer.write("PUBLISHED", List.of(), LONG_AGO, true);
    writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED", List.of(), LONG_AGO.plusSeconds(1), true);
    writer.write("PUBLISHED", List.of(), LONG_AGO.plusSeconds(600), true);

    BrokenLink broken = writer.verdict(true, LONG_AGO.plusSeconds(3_600)).brokenLink();
    assertThat(broken.reason()).isEqualTo(Reason.MISSING);
    assertThat(broken.sequence()).isEqualTo(2);
  }

  @Test
  void aClosedChainNotReadToTheEndHasItsHolesUnjudged() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED");
    writer.write("CHAIN_CLOSED");

    ChainVerdict partly = writer.verdict(true, null, LONG_AGO.plusSeconds(3_600), true);
    assertThat(partly.brokenLink()).isNull();
    assertThat(partly.status()).isEqualTo(ChainVerdict.Status.CLOSED);
    assertThat(partly.pending()).contains("sequence 2").contains("stopped before every record");
    assertThat(writer.verdict().brokenLink().reason()).isEqualTo(Reason.MISSING);
  }

  @Test
  void holesBeforeWhatRetentionKeptOnEveryPartitionAreNotJudged() {
    Writer writer = new Writer();
    Instant retainedFrom = LONG_AGO.plusSeconds(3_600);
    writer.write("PUBLISHED", List.of(), LONG_AGO, true);
    // Deleted with its partition's old segment, while the others kept theirs.
    writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED", List.of(), LONG_AGO, true);
    writer.write("PUBLISHED", List.of(), retainedFrom.plusSeconds(1), true);
    writer.write("RECEIVED", List.of(), retainedFrom.plusSeconds(2), false);
    writer.write("HANDLED", List.of(), retainedFrom.plusSeconds(3), true);
    writer.write("CHAIN_CLOSED", List.of(), retainedFrom.plusSeconds(4), true);

    ChainVerdict verdict =
        writer.verdict(false, retainedFrom, retainedFrom.plusSeconds(3_600), false);
    // The hole after the cut-off still counts.
    assertThat(verdict.brokenLink().reason()).isEqualTo(Reason.MISSING);
    assertThat(verdict.brokenLink().sequence()).isEqualTo(5);
    assertThat(verdict.checkedFrom()).isEqualTo(retainedFrom);
    assertThat(verdict.summary()).contains("checked from " + retainedFrom);
  }

  @Test
  void aChainThinnedByRetentionBeforeTheCutOffOnlyHolds() {
    Writer writer = new Writer();
    Instant retainedFrom = LONG_AGO.plusSeconds(3_600);
    writer.write("PUBLISHED", List.of(), LONG_AGO, false);
    writer.write("RECEIVED", List.of(), LONG_AGO, true);
    writer.write("HANDLED", List.of(), LONG_AGO, false);
    writer.write("PUBLISHED", List.of(), LONG_AGO, true);
    writer.write("HANDLED", List.of(), retainedFrom.plusSeconds(1), true);
    writer.write("CHAIN_CLOSED", List.of(), retainedFrom.plusSeconds(2), true);

    ChainVerdict verdict =
        writer.verdict(false, retainedFrom, retainedFrom.plusSeconds(3_600), false);
    assertThat(verdict.brokenLink()).isNull();
    assertThat(verdict.status()).isEqualTo(ChainVerdict.Status.CLOSED);
    assertThat(verdict.checkedFrom()).isEqualTo(retainedFrom);
  }

  @Test
  void aGapDeclaredForSequencesAtOrAfterItsOwnIsNotHonoured() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    writer.write(
        "CHAIN_GAP", List.of(new AuditChain.LostRange(3, 4, "ee".repeat(32))), LONG_AGO, true);
    writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED", List.of(), LONG_AGO, false);
    writer.write("CHAIN_CLOSED");

    ChainVerdict verdict = writer.verdict();
    assertThat(verdict.declaredGaps()).isEmpty();
    assertThat(verdict.brokenLink().reason()).isEqualTo(Reason.MISSING);
    assertThat(verdict.brokenLink().sequence()).isEqualTo(3);
  }

  @Test
  void aDeclaredRangeOfBillionsOfSequencesIsHeldAsOneInterval() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    AuditChain.Sealed lost = writer.write("RECEIVED", List.of(), LONG_AGO, false);
    // The record after the range names the hash its writer declared for the range's end.
    writer.sequence = 9_999_999_999L;
    writer.write("HANDLED");
    writer.write(
        "CHAIN_GAP",
        List.of(new AuditChain.LostRange(2, 9_999_999_999L, lost.hash())),
        LONG_AGO,
        true);

    ChainVerdict verdict = writer.verdict();
    assertThat(verdict.brokenLink()).isNull();
    assertThat(verdict.declaredGaps()).extracting(DeclaredGap::to).containsExactly(9_999_999_999L);
  }

  @Test
  void onlySoManyRangesOfOneGapRecordAreHonoured() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    List<AuditChain.LostRange> ranges = new ArrayList<>();
    AuditChain.Sealed last = null;
    for (int i = 0; i < AuditChainVerifier.LOST_RANGES_HONOURED + 1; i++) {
      last = writer.write("RECEIVED", List.of(), LONG_AGO, false);
      ranges.add(new AuditChain.LostRange(writer.sequence, writer.sequence, last.hash()));
      writer.write("RECEIVED", List.of(), LONG_AGO, i < AuditChainVerifier.LOST_RANGES_HONOURED);
    }
    writer.write("CHAIN_GAP", ranges, LONG_AGO, true);
    writer.write("CHAIN_CLOSED");

    ChainVerdict verdict = writer.verdict();
    assertThat(verdict.declaredGaps()).hasSize(AuditChainVerifier.LOST_RANGES_HONOURED);
    assertThat(verdict.brokenLink().reason()).isEqualTo(Reason.MISSING);
    assertThat(verdict.brokenLink().sequence())
        .isEqualTo(2L * AuditChainVerifier.LOST_RANGES_HONOURED + 2);
  }

  @Test
  void aGapRecordWhoseOwnLinkFailsDeclaresNothing() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    AuditChain.Sealed lost = writer.write("RECEIVED", List.of(), LONG_AGO, false);
    writer.write("HANDLED");
    // Sealed over a made-up previous hash: its own hash holds, its link does not.
    writer.previous = "cd".repeat(32);
    writer.write("CHAIN_GAP", List.of(new AuditChain.LostRange(2, 2, lost.hash())), LONG_AGO, true);
    writer.write("CHAIN_CLOSED");

    ChainVerdict verdict = writer.verdict();
    assertThat(verdict.declaredGaps()).isEmpty();
    assertThat(verdict.brokenLink().reason()).isEqualTo(Reason.MISSING);
    assertThat(verdict.brokenLink().sequence()).isEqualTo(2);
  }

  @Test
  void aChainWhoseStartWasNotReadIsJudgedFromWhereTheReadingBegan() {
    Writer writer = new Writer();
    writer.write("PUBLISHED", List.of(), LONG_AGO, false);
    writer.write("RECEIVED");
    writer.write("HANDLED");

    assertThat(writer.verdict(false, LONG_AGO).brokenLink()).isNull();
    assertThat(writer.verdict(false, LONG_AGO).startRead()).isFalse();
    // Read from a beginning that retention never moved, the first record was removed.
    BrokenLink broken = writer.verdict(true, LONG_AGO).brokenLink();
    assertThat(broken.reason()).isEqualTo(Reason.MISSING);
    assertThat(broken.sequence()).isEqualTo(1);
  }

  @Test
  void twoDifferentRecordsWithOneSequenceAreADuplicate() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    writer.write("RECEIVED");
    Writer forger = new Writer();
    forger.write("PUBLISHED");
    forger.write("HANDLED");
    writer.sent.add(
        new ConsumerRecord<>("audit", 2, 99, forger.sent.get(1).key(), forger.sent.get(1).value()));

    BrokenLink broken = writer.verdict().brokenLink();
    assertThat(broken.reason()).isEqualTo(Reason.DUPLICATE);
    assertThat(broken.sequence()).isEqualTo(2);
  }

  @Test
  void theSameRecordTwiceIsNoBreak() {
    Writer writer = new Writer();
    writer.write("PUBLISHED");
    writer.write("RECEIVED");
    writer.sent.add(new ConsumerRecord<>("audit", 2, 99, null, writer.sent.get(1).value()));

    assertThat(writer.verdict().brokenLink()).isNull();
  }

  @Test
  void aRecordWithoutAChainIsNotJudged() {
    byte[] plain = "{\"outcome\":\"PUBLISHED\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(
            verifier.parse(new ConsumerRecord<>("audit", 0, 0, null, plain), AuditChain.sha256()))
        .isNull();
  }
}
