package dev.asyncshop.console.parking;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.console.services.ServiceProblem;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The parking lot's pages. Actions answer with a redirect to the page that shows their result
 * (post, redirect, get), except an edit the service refuses, which shows the operator's text again
 * beside the refusal.
 */
@Controller
class ParkingLotController {

  static final List<String> STATES = List.of("PARKED", "REPLAYING", "REPLAYED", "PURGED");
  static final List<String> TRANSPORTS = List.of("rabbitmq", "kafka", "redis");
  static final List<String> REASONS =
      List.of(
          "RETRIES_EXHAUSTED",
          "NON_RETRYABLE",
          "POISON",
          "NO_HANDLER",
          "SIGNATURE_INVALID",
          "DECRYPTION_FAILED",
          "UNDELIVERABLE");

  private final ParkingLots parkingLots;
  private final ConsoleSettings settings;

  ParkingLotController(ParkingLots parkingLots, ConsoleSettings settings) {
    this.parkingLots = parkingLots;
    this.settings = settings;
  }

  @ModelAttribute
  void choices(Model model) {
    model.addAttribute("serviceNames", parkingLots.serviceNames());
    model.addAttribute("states", STATES);
    model.addAttribute("transports", TRANSPORTS);
    model.addAttribute("reasons", REASONS);
  }

  @GetMapping("/dead-letters")
  String list(
      @ModelAttribute("filter") ParkingLotFilter filter,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    model.addAttribute("result", parkingLots.list(filter, Math.max(0, page), settings.pageSize()));
    model.addAttribute("query", query(filter));
    return "dead-letters";
  }

  @GetMapping("/dead-letters/{service}/{id}")
  String message(@PathVariable String service, @PathVariable String id, Model model) {
    ParkedMessage message = parkingLots.find(service, id);
    model.addAttribute("service", service);
    model.addAttribute("message", message);
    if (!model.containsAttribute("draft")) {
      model.addAttribute("draft", message.payload() == null ? "" : message.payload());
    }
    return "dead-letter";
  }

  @PostMapping("/dead-letters/{service}/{id}/replay")
  String replay(
      @PathVariable String service, @PathVariable String id, RedirectAttributes redirect) {
    try {
      redirect.addFlashAttribute("notice", Outcomes.words(parkingLots.replay(service, id)));
    } catch (ServiceProblem e) {
      redirect.addFlashAttribute("problem", e.words());
    }
    return "redirect:/dead-letters/{service}/{id}";
  }

  /**
   * Saves the operator's payload, then replays the message if asked. A payload the service refuses
   * (422, it does not fit the type) is shown again with the refusal, so nothing typed is lost.
   */
  @PostMapping("/dead-letters/{service}/{id}/payload")
  String edit(
      @PathVariable String service,
      @PathVariable String id,
      @RequestParam String payload,
      @RequestParam(defaultValue = "save") String then,
      Model model,
      RedirectAttributes redirect,
      HttpServletResponse response) {
    try {
      parkingLots.edit(service, id, payload);
    } catch (ServiceProblem e) {
      model.addAttribute("draft", payload);
      model.addAttribute("editProblem", e.words());
      response.setStatus(e.status() >= 400 ? e.status() : HttpStatus.BAD_GATEWAY.value());
      return message(service, id, model);
    }
    if ("replay".equals(then)) {
      try {
        redirect.addFlashAttribute(
            "notice", "Payload saved. " + Outcomes.words(parkingLots.replay(service, id)));
      } catch (ServiceProblem e) {
        redirect.addFlashAttribute("problem", "Payload saved, but not replayed. " + e.words());
      }
    } else {
      redirect.addFlashAttribute("notice", "Payload saved; the message is still parked.");
    }
    return "redirect:/dead-letters/{service}/{id}";
  }

  @PostMapping("/dead-letters/{service}/{id}/purge")
  String purge(@PathVariable String service, @PathVariable String id, RedirectAttributes redirect) {
    try {
      redirect.addFlashAttribute(
          "notice", id + ": " + Outcomes.words(parkingLots.purge(service, id)));
      return "redirect:/dead-letters";
    } catch (ServiceProblem e) {
      redirect.addFlashAttribute("problem", e.words());
      return "redirect:/dead-letters/{service}/{id}";
    }
  }

  /** A dry run of a bulk action over the filter: what it would touch, and a form to confirm. */
  @PostMapping("/dead-letters/bulk/{action}")
  String dryRun(
      @PathVariable String action, @ModelAttribute("filter") ParkingLotFilter filter, Model model) {
    BulkAction bulk = action(action);
    model.addAttribute("action", bulk.path());
    model.addAttribute("dryRun", true);
    model.addAttribute("answers", parkingLots.bulk(bulk, filter, true));
    model.addAttribute("query", query(filter));
    return "bulk";
  }

  /** Acts on the messages the dry run listed, named as {@code service/id}. */
  @PostMapping("/dead-letters/bulk/{action}/confirm")
  String confirm(
      @PathVariable String action,
      @RequestParam(name = "message", defaultValue = "") List<String> messages,
      @RequestParam(defaultValue = "") String query,
      Model model) {
    BulkAction bulk = action(action);
    Map<String, List<String>> byService = new LinkedHashMap<>();
    for (String message : messages) {
      int slash = message.indexOf('/');
      if (slash < 1) {
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not service/id: " + message);
      }
      byService
          .computeIfAbsent(message.substring(0, slash), service -> new ArrayList<>())
          .add(message.substring(slash + 1));
    }
    model.addAttribute("action", bulk.path());
    model.addAttribute("dryRun", false);
    model.addAttribute("answers", parkingLots.bulk(bulk, byService));
    model.addAttribute("query", query);
    return "bulk";
  }

  private static BulkAction action(String action) {
    for (BulkAction candidate : BulkAction.values()) {
      if (candidate.path().equals(action)) {
        return candidate;
      }
    }
    throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No bulk action " + action);
  }

  /** The filter as the list page's query string, to go back to the same list. */
  private static String query(ParkingLotFilter filter) {
    UriComponentsBuilder uri = UriComponentsBuilder.newInstance();
    add(uri, "service", filter.service());
    add(uri, "state", filter.state());
    add(uri, "transport", filter.transport());
    add(uri, "destination", filter.destination());
    add(uri, "type", filter.type());
    add(uri, "reason", filter.reason());
    add(uri, "correlationId", filter.correlationId());
    String query = uri.encode().build().getQuery();
    return query == null ? "" : query;
  }

  private static void add(UriComponentsBuilder uri, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      uri.queryParam(name, value);
    }
  }
}
