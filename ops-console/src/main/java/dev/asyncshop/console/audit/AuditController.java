package dev.asyncshop.console.audit;

import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class AuditController {

  private final AuditTimeline timeline;

  AuditController(AuditTimeline timeline) {
    this.timeline = timeline;
  }

  /** The form, and the timeline of the correlation id it was given. */
  @GetMapping("/audit")
  String audit(@RequestParam(required = false) @Nullable String correlationId, Model model) {
    String wanted = correlationId == null ? "" : correlationId.strip();
    model.addAttribute("correlationId", wanted);
    if (!wanted.isEmpty()) {
      try {
        model.addAttribute("timeline", timeline.of(wanted));
      } catch (KafkaException e) {
        model.addAttribute(
            "problem", "The audit topic could not be read from Kafka: " + e.getMessage());
      }
    }
    return "audit";
  }
}
