package dev.asyncshop.console.audit;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.messaging.audit.AuditChainReport;
import dev.asyncshop.messaging.audit.AuditChainVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
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
 */
@Controller
class AuditChainsController {

  private final AuditChainVerifier verifier;
  private final ConsoleSettings.Audit settings;
  private final Clock clock = Clock.systemUTC();

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
      model.addAttribute("report", verify(hours));
    } catch (KafkaException e) {
      model.addAttribute(
          "problem", "The audit topic could not be read from Kafka: " + e.getMessage());
    }
    return "audit-chains";
  }

  @GetMapping(value = "/audit/chains", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> chainsAsJson(@RequestParam(required = false) @Nullable Integer hours) {
    try {
      return ResponseEntity.ok(verify(hours));
    } catch (KafkaException e) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.BAD_GATEWAY,
              "The audit topic could not be read from Kafka: " + e.getMessage());
      return ResponseEntity.of(problem).build();
    }
  }

  private AuditChainReport verify(@Nullable Integer hours) {
    Instant since =
        hours == null || hours <= 0 ? null : clock.instant().minus(Duration.ofHours(hours));
    return verifier.verify(
        settings.topic(), since, settings.chainScanLimit(), settings.chainReadTimeout());
  }
}
