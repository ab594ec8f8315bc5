package dev.asyncshop.shipping.shipment.web;

import dev.asyncshop.shipping.shipment.UnknownShipmentException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The shipments' errors as RFC 9457 problem details; Spring MVC's own errors are problem details
 * through {@code spring.mvc.problemdetails.enabled}.
 */
@RestControllerAdvice
class ShipmentProblems {

  @ExceptionHandler
  ProblemDetail unknownShipment(UnknownShipmentException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setTitle("Unknown shipment");
    problem.setProperty("orderId", e.orderId());
    return problem;
  }
}
