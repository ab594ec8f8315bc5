package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.audit.AuditStep;
import dev.asyncshop.messaging.audit.AuditSteps;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What happened to one business flow across all services, at {@code /ops/audit/{correlationId}},
 * for operators (each service's security configuration gives {@code /ops/**} to the OPS role).
 */
@RestController
@RequestMapping(path = "/ops/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditStepsController {

  static final int MOST = 2_000;

  private final AuditSteps steps;

  AuditStepsController(AuditSteps steps) {
    this.steps = steps;
  }

  /** Oldest first; {@code limit} 1 to 2,000, 500 by default. */
  @GetMapping("/{correlationId}")
  ResponseEntity<?> of(
      @PathVariable String correlationId, @RequestParam(defaultValue = "500") int limit) {
    if (limit < 1 || limit > MOST || correlationId.length() > 200) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.BAD_REQUEST,
              "limit is 1 to " + MOST + ", and a correlation id at most 200 characters");
      problem.setTitle("Invalid request");
      return ResponseEntity.badRequest()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(problem);
    }
    List<AuditStep> found = steps.of(correlationId, limit);
    return ResponseEntity.ok(found);
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> notYet(IllegalStateException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    problem.setTitle("Audit trail not ready yet");
    problem.setType(URI.create(ProjectionController.PROBLEM_TYPE + "not_ready"));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
