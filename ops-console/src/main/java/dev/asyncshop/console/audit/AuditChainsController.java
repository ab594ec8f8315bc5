package dev.asyncshop.console.audit;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.messaging.audit.AuditChainReport;
import dev.asyncshop.messaging.audit.AuditChainVerifier;
import dev.asyncshop.messaging.audit.BrokenLink;
import dev.asyncshop.messaging.audit.ChainVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The verdict on every service instance's audit chain, read from the audit topic when the page is
 * opened: as a page for operators and as JSON for scripts. A broken chain is shown where it breaks,
 * never repaired.
 *
 * <p>A verification reads the whole topic (up to its limits), so the console runs one at a time and
 * keeps the last report for {@link #FRESH}: a request for the same hours meanwhile is answered with
 * it, and one that arrives while another verification runs waits a little, then gets the last
 * report of the same hours if there is one, saying how old it is.
 */
@Controller
class AuditChainsController {

  private final AuditChainVerifier verifier;
  private final ConsoleSettings.Audit settings;
  private final Clock clock = Clock.systemUTC();

  /** How long a report answers requests for the same hours without reading again. */
  static final Duration FRESH = Duration.ofSeconds(30);

  /** How long a request waits for a running verification before taking the last report. */
  private static final Duration WAIT = Duration.ofSeconds(2);

  private final ReentrantLock verifying = new ReentrantLock();

  private volatile @Nullable Last last;

  /** The last report, the hours it was asked for, and when it was made. */
  private record Last(@Nullable Integer hours, AuditChainReport report, Instant madeAt) {}

  /**
   * @param report the report given
   * @param note how old it is and why, when it was not read for this request; else {@code null}
   */
  private record Answer(AuditChainReport report, @Nullable String note, long ageSeconds) {}

  AuditChainsController(AuditChainVerifier verifier, ConsoleSettings settings) {
    this.verifier = verifier;
    this.settings = settings.audit();
  }

  /**
   * @param hours read the records of the last so many hours; without it, the whole topic
   */
  @GetMapping("/audit/chains")
  String chains(@RequestParam(required = false) @Nullable Integer hours, Model model) {
    model.addAttribute("hours", hours);
    try {
      Answer answer = verify(hours);
      model.addAttribute("report", answer.report());
      model.addAttribute("reportNote", answer.note());
      model.addAttribute("brokenBecause", brokenBecause(answer.report()));
    } catch (KafkaException e) {
      model.addAttribute(
          "problem", "The audit topic could not be read from Kafka: " + e.getMessage());
    }
    return "audit-chains";
  }

  @GetMapping(value = "/audit/chains", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> chainsAsJson(@RequestParam(required = false) @Nullable Integer hours) {
    try {
      Answer answer = verify(hours);
      // The standard way to say that an answer was not made for this request, and how old it is.
      return ResponseEntity.ok()
          .header(HttpHeaders.AGE, Long.toString(answer.ageSeconds()))
          .body(answer.report());
    } catch (KafkaException e) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.BAD_GATEWAY,
              "The audit topic could not be read from Kafka: " + e.getMessage());
      return ResponseEntity.of(problem).build();
    }
  }

  private Answer verify(@Nullable Integer hours) {
    Integer asked = hours == null || hours <= 0 ? null : hours;
    Answer fresh = lastOf(asked, false);
    if (fresh != null) {
      return fresh;
    }
    boolean locked;
    try {
      locked = verifying.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      locked = false;
    }
    if (!locked) {
      Answer older = lastOf(asked, true);
      if (older != null) {
        return older;
      }
      verifying.lock();
    }
    try {
      fresh = lastOf(asked, false);
      if (fresh != null) {
        return fresh;
      }
      Instant since = asked == null ? null : clock.instant().minus(Duration.ofHours(asked));
      AuditChainReport report =
          verifier.verify(
              settings.topic(), since, settings.chainScanLimit(), settings.chainReadTimeout());
      last = new Last(asked, report, clock.instant());
      return new Answer(report, null, 0);
    } finally {
      verifying.unlock();
    }
  }

  /** What broke the broken chains, in words, by reason; empty when none is broken. */
  static String brokenBecause(AuditChainReport report) {
    return report.chains().stream()
        .map(ChainVerdict::brokenLink)
        .filter(Objects::nonNull)
        .map(BrokenLink::reason)
        .distinct()
        .sorted()
        .map(
            reason ->
                switch (reason) {
                  case ALTERED -> "a record was changed after it was written";
                  case LINK_MISMATCH ->
                      "a record does not name the one before it (replaced, reordered or inserted)";
                  case MISSING -> "records are missing and no gap was declared for them";
                  case DUPLICATE -> "two different records have one sequence";
                  case UNREADABLE -> "a record's chain member cannot be read";
                })
        .collect(Collectors.joining("; "));
  }

  /** The last report of these hours: when fresh, or any age while another verification runs. */
  private @Nullable Answer lastOf(@Nullable Integer hours, boolean busy) {
    Last report = last;
    if (report == null || !Objects.equals(report.hours(), hours)) {
      return null;
    }
    Duration age = Duration.between(report.madeAt(), clock.instant());
    if (!busy && age.compareTo(FRESH) >= 0) {
      return null;
    }
    String note =
        (busy
                ? "Another verification is running: this is the last report, read "
                : "This report was read ")
            + age.toSeconds()
            + " s ago, at "
            + report.madeAt()
            + (busy
                ? "."
                : "; the console reads the topic again at most every " + FRESH.toSeconds() + " s.");
    return new Answer(report.report(), note, age.toSeconds());
  }
}
