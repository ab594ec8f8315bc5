package dev.asyncshop.console.audit;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.console.services.Services;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;

/**
 * Asks the service that keeps the audit-trail projection (order-service, {@code
 * console.audit-trail.service}) for a flow's audit records: every one it keeps, at once, as the
 * logged-in operator.
 */
@Component
class AuditTrailReader {

  /** As {@code /ops/audit/{correlationId}} answers each record. */
  record Step(
      Instant at,
      String service,
      String outcome,
      @Nullable String type,
      @Nullable String transport,
      @Nullable String destination,
      @Nullable String messageId,
      int attempt,
      @Nullable String detail,
      @Nullable String principal,
      @Nullable String replayOf) {

    AuditEntry entry() {
      return new AuditEntry(
          at,
          service,
          outcome,
          type,
          transport,
          destination,
          messageId,
          attempt,
          detail,
          principal,
          replayOf);
    }
  }

  private final Services services;
  private final String service;
  private final ConsoleSettings settings;

  AuditTrailReader(
      Services services,
      ConsoleSettings settings,
      @Value("${console.audit-trail.service:order}") String service) {
    this.services = services;
    this.settings = settings;
    this.service = service;
  }

  /**
   * @throws dev.asyncshop.console.services.ServiceProblem when the service refuses (its projection
   *     not made yet, say) or cannot be reached
   */
  Timeline of(String correlationId) {
    List<Step> steps =
        services.call(
            service,
            client ->
                client
                    .get()
                    .uri("/ops/audit/{id}?limit={limit}", correlationId, 2_000)
                    .retrieve()
                    .body(new ParameterizedTypeReference<List<Step>>() {}));
    List<AuditEntry> entries = steps == null ? List.of() : steps.stream().map(Step::entry).toList();
    return new Timeline(
        correlationId,
        settings.audit().window(),
        entries,
        entries.size(),
        null,
        "the audit-trail projection of " + service + "-service");
  }
}
