package dev.asyncshop.console.audit;

import dev.asyncshop.console.services.ServiceProblem;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class AuditController {

  private final AuditTrailReader projection;
  private final AuditTimeline timeline;

  AuditController(AuditTrailReader projection, AuditTimeline timeline) {
    this.projection = projection;
    this.timeline = timeline;
  }

  /**
   * The form, and the timeline of the correlation id it was given: from the audit-trail projection,
   * or from the audit topic when the projection cannot answer.
   */
  @GetMapping("/audit")
  String audit(@RequestParam(required = false) @Nullable String correlationId, Model model) {
    String wanted = correlationId == null ? "" : correlationId.strip();
    model.addAttribute("correlationId", wanted);
    if (!wanted.isEmpty()) {
      try {
        model.addAttribute("timeline", projection.of(wanted));
      } catch (ServiceProblem unanswered) {
        // The projection's service is away, or its projection not made yet: the topic itself
        // still holds the window's records.
        model.addAttribute(
            "fallback",
            "The audit-trail projection did not answer ("
                + unanswered.getMessage()
                + "); these records were read from the audit topic instead.");
        readTopic(wanted, model);
      }
    }
    return "audit";
  }

  private void readTopic(String wanted, Model model) {
    try {
      model.addAttribute("timeline", timeline.of(wanted));
    } catch (KafkaException e) {
      model.addAttribute(
          "problem", "The audit topic could not be read from Kafka: " + e.getMessage());
    }
  }
}
