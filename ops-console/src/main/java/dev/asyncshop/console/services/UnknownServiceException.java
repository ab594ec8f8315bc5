package dev.asyncshop.console.services;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A page named a service the console is not configured for. */
public class UnknownServiceException extends ResponseStatusException {

  public UnknownServiceException(String service, List<String> known) {
    super(
        HttpStatus.NOT_FOUND,
        "No service is called '" + service + "'; the console knows " + String.join(", ", known));
  }
}
