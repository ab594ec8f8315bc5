package dev.asyncshop.inventory.stock.web;

import dev.asyncshop.inventory.stock.UnknownProductException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem detail: Spring MVC's own (unreadable body, unknown
 * path, wrong method) through the base class, and the catalogue's.
 */
@RestControllerAdvice
class ProductProblems extends ResponseEntityExceptionHandler {

  @ExceptionHandler
  ProblemDetail unknownProduct(UnknownProductException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setTitle("Unknown product");
    problem.setProperty("sku", e.sku());
    return problem;
  }

  /** Names each invalid field, so a client can tell which value to fix. */
  @Override
  protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Map<String, String>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(
                error ->
                    Map.of(
                        "field",
                        error.getField(),
                        "message",
                        String.valueOf(error.getDefaultMessage())))
            .toList();
    e.getBody().setProperty("errors", errors);
    return handleExceptionInternal(e, e.getBody(), headers, status, request);
  }
}
