package dev.asyncshop.order.web;

import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.QueryTimeoutException;
import dev.asyncshop.order.placement.CatalogueNotReadyException;
import dev.asyncshop.order.placement.IdempotencyKeyReusedException;
import dev.asyncshop.order.placement.InconsistentAnswerException;
import dev.asyncshop.order.placement.PlacementsBusyException;
import dev.asyncshop.order.placement.ShippingUnpricedException;
import dev.asyncshop.order.placement.UnknownSkusException;
import dev.asyncshop.order.reports.ReportNotReadyException;
import dev.asyncshop.order.tracking.OrderNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the service as an RFC 9457 problem detail, in one place: the features throw plain
 * exceptions that say what went wrong in their terms, and this says it in HTTP. Spring MVC's own
 * exceptions keep their standard answers, with the invalid fields listed under {@code errors}; a
 * body over the limit is 413; and a service that could not be asked, or did not answer, is the
 * gateway status that says which.
 */
@RestControllerAdvice
class ProblemDetails extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetails.class);

  /**
   * One invalid value.
   *
   * @param field where it is in the request, such as {@code items[0].quantity}
   */
  record InvalidField(String field, @Nullable String message) {}

  @ExceptionHandler
  ProblemDetail orderNotFound(OrderNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Order not found", e, Map.of());
  }

  @ExceptionHandler
  ProblemDetail unknownSkus(UnknownSkusException e) {
    return problem(
        HttpStatus.UNPROCESSABLE_CONTENT, "Unknown products", e, Map.of("unknownSkus", e.skus()));
  }

  /** Names no order: keys are not tied to a customer, so the first order may be someone else's. */
  @ExceptionHandler
  ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException e) {
    return problem(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "Idempotency-Key reused with a different body",
        e,
        Map.of());
  }

  @ExceptionHandler
  ProblemDetail cannotBePriced(InconsistentAnswerException e) {
    log.warn("Order not placed: {}", e.getMessage());
    return problem(HttpStatus.BAD_GATEWAY, "Order cannot be priced", e, Map.of());
  }

  /**
   * The client may come back shortly, here or on another instance: {@code Retry-After} says when.
   */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> placementsBusy(PlacementsBusyException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many orders being placed", e, Map.of()));
  }

  /** The instance is not ready: its readiness probe says so too, so a balancer sends the next. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> catalogueNotReady(CatalogueNotReadyException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Catalogue not loaded yet", e, Map.of()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> reportNotReady(ReportNotReadyException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Report not ready yet", e, Map.of()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> shippingUnpriced(ShippingUnpricedException e) {
    log.warn("Order not placed: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Shipping cannot be priced", e, Map.of()));
  }

  @ExceptionHandler
  ProblemDetail noAnswer(QueryTimeoutException e) {
    log.warn("Order not placed: {}", e.getMessage());
    return problem(HttpStatus.GATEWAY_TIMEOUT, "A service did not answer in time", e, Map.of());
  }

  @ExceptionHandler
  ProblemDetail notReachable(MessagePublishException e) {
    log.warn("Order not placed: {}", e.getMessage());
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "A service cannot be reached", e, Map.of());
  }

  @ExceptionHandler
  ProblemDetail failedToAnswer(QueryFailedException e) {
    log.warn("Order not placed: {}", e.getMessage());
    return problem(HttpStatus.BAD_GATEWAY, "A service failed to answer", e, Map.of());
  }

  /**
   * The database went away mid-request (a failover, a restart): whether an order being placed was
   * stored is not known, so the client is told to repeat the request, with the same {@code
   * Idempotency-Key}, which answers the stored order if there is one and places it if not; without
   * a key, the client looks at its orders before placing it again.
   */
  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    CannotCreateTransactionException.class,
    TransactionSystemException.class
  })
  ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
    log.warn("Request failed, database unavailable: {}", e.toString());
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.SERVICE_UNAVAILABLE,
            "The database cannot be reached. Repeat the request with the same Idempotency-Key; without"
                + " one, an order being placed may exist: look at your orders before placing it again.");
    problem.setTitle("Database unavailable");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem);
  }

  /** Refused by a check inside a controller: answered like the filter chain's refusals. */
  @ExceptionHandler
  ProblemDetail accessDenied(AccessDeniedException e) {
    return problem(HttpStatus.FORBIDDEN, "Forbidden", e, Map.of());
  }

  /**
   * A header value the firewall refuses when it is read (a control character, say): the client's
   * mistake, answered without echoing the value.
   */
  @ExceptionHandler
  ProblemDetail rejectedRequest(RequestRejectedException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "A header holds characters this API never accepts, such as control characters.");
    problem.setTitle("Bad Request");
    return problem;
  }

  /** Anything else is a bug or an outage here: said as a problem detail, never with its details. */
  @ExceptionHandler
  ProblemDetail unexpected(Exception e) {
    log.error("Request failed", e);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "The request failed; it may succeed if repeated.");
    problem.setTitle("Internal error");
    return problem;
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem = ex.getBody();
    problem.setTitle("Invalid request");
    problem.setDetail("The request has invalid fields; see errors.");
    List<InvalidField> errors =
        ex.getBindingResult().getAllErrors().stream().map(ProblemDetails::invalidField).toList();
    problem.setProperty("errors", errors);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem = ex.getBody();
    problem.setTitle("Invalid request");
    List<InvalidField> errors = new ArrayList<>();
    for (ParameterValidationResult result : ex.getParameterValidationResults()) {
      if (result instanceof ParameterErrors body) {
        // A @Valid body: name each field inside it.
        body.getAllErrors().forEach(error -> errors.add(invalidField(error)));
      } else {
        String parameter = String.valueOf(result.getMethodParameter().getParameterName());
        result
            .getResolvableErrors()
            .forEach(error -> errors.add(new InvalidField(parameter, error.getDefaultMessage())));
      }
    }
    problem.setProperty("errors", errors);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyTooLargeException tooLarge) {
        ProblemDetail problem =
            ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
        problem.setTitle("Request body too large");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
      }
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, "The request body is missing or is not the JSON expected.");
    problem.setTitle("Unreadable request body");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  private static InvalidField invalidField(ObjectError error) {
    return new InvalidField(
        error instanceof FieldError field ? field.getField() : error.getObjectName(),
        error.getDefaultMessage());
  }

  private static ProblemDetail problem(
      HttpStatus status, String title, Exception e, Map<String, Object> properties) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(status, String.valueOf(e.getMessage()));
    problem.setTitle(title);
    properties.forEach(problem::setProperty);
    return problem;
  }
}
