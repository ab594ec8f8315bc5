package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.parking.ActionResult;
import dev.asyncshop.messaging.parking.BulkResult;
import dev.asyncshop.messaging.parking.DeadLetterQuery;
import dev.asyncshop.messaging.parking.ParkedMessage;
import dev.asyncshop.messaging.parking.ParkedPage;
import dev.asyncshop.messaging.parking.ParkedState;
import dev.asyncshop.messaging.parking.ParkingLot;
import dev.asyncshop.messaging.parking.ParkingLotException;
import dev.asyncshop.messaging.parking.Selection;
import dev.asyncshop.messaging.spi.PrincipalSource;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The parking lot over HTTP, at {@code /ops/dead-letters}: for operators only (each service's
 * security configuration gives {@code /ops/**} to the OPS role). Refusals are RFC 9457 problem
 * details whose {@code type} names the {@link ParkingLotException.Problem}.
 */
@RestController
@RequestMapping(path = "/ops/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {

  static final String PROBLEM_TYPE = "urn:asyncshop:problem:dead-letters:";

  /**
   * A bulk replay or purge.
   *
   * @param ids the messages by id; or
   * @param filter every parked message matching it
   * @param dryRun only say what would be touched
   */
  record BulkRequest(
      @Nullable List<String> ids, @Nullable DeadLetterQuery filter, boolean dryRun) {}

  private final ParkingLot parkingLot;
  private final PrincipalSource principals;

  DeadLetterController(ParkingLot parkingLot, PrincipalSource principals) {
    this.parkingLot = parkingLot;
    this.principals = principals;
  }

  @GetMapping
  ParkedPage list(
      @RequestParam(required = false) @Nullable ParkedState state,
      @RequestParam(required = false) @Nullable String transport,
      @RequestParam(required = false) @Nullable String destination,
      @RequestParam(required = false) @Nullable String type,
      @RequestParam(required = false) @Nullable DeadLetterReason reason,
      @RequestParam(required = false) @Nullable String exceptionClass,
      @RequestParam(required = false) @Nullable Instant from,
      @RequestParam(required = false) @Nullable Instant to,
      @RequestParam(required = false) @Nullable String correlationId,
      @RequestParam(required = false) @Nullable Boolean security,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return parkingLot.list(
        new DeadLetterQuery(
            state,
            transport == null ? null : transport.toLowerCase(Locale.ROOT),
            destination,
            type,
            reason,
            exceptionClass,
            from,
            to,
            correlationId,
            security),
        page,
        size);
  }

  @GetMapping("/{id}")
  ParkedMessage one(@PathVariable String id) {
    return parkingLot
        .find(id)
        .orElseThrow(
            () ->
                new ParkingLotException(
                    ParkingLotException.Problem.NOT_FOUND, "No parked message has id " + id));
  }

  @PostMapping("/{id}/replay")
  ActionResult replay(@PathVariable String id) {
    return parkingLot.replay(id, operator());
  }

  /** The new payload is the request body, as the message's JSON. */
  @PutMapping(path = "/{id}/payload", consumes = MediaType.APPLICATION_JSON_VALUE)
  ParkedMessage edit(@PathVariable String id, @RequestBody String payload) {
    return parkingLot.edit(id, payload, operator());
  }

  @DeleteMapping("/{id}")
  ActionResult purge(@PathVariable String id) {
    return parkingLot.purge(id, operator());
  }

  @PostMapping("/replay")
  BulkResult replayAll(@RequestBody BulkRequest request) {
    return parkingLot.replay(selection(request), request.dryRun(), operator());
  }

  @PostMapping("/purge")
  BulkResult purgeAll(@RequestBody BulkRequest request) {
    return parkingLot.purge(selection(request), request.dryRun(), operator());
  }

  private static Selection selection(BulkRequest request) {
    if ((request.ids() == null) == (request.filter() == null)) {
      throw new ParkingLotException(
          ParkingLotException.Problem.INVALID_SELECTION,
          "Give either ids or a filter, not both and not neither");
    }
    return request.ids() != null
        ? Selection.of(request.ids())
        : Selection.matching(request.filter());
  }

  private String operator() {
    String principal = principals.currentPrincipal();
    return principal != null ? principal : "anonymous";
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> refused(ParkingLotException e) {
    HttpStatus status = HttpStatus.valueOf(e.problem().status());
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setType(URI.create(PROBLEM_TYPE + e.problem().name().toLowerCase(Locale.ROOT)));
    problem.setTitle(title(e.problem()));
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static String title(ParkingLotException.Problem problem) {
    return switch (problem) {
      case NOT_FOUND -> "No such parked message";
      case STATE_CHANGED -> "Someone else got there first";
      case NOT_REPLAYABLE -> "Not replayable";
      case DESTINATION_GONE -> "Its destination is gone";
      case INVALID_EDIT -> "The edit does not fit";
      case INVALID_SELECTION -> "Invalid selection";
    };
  }
}
