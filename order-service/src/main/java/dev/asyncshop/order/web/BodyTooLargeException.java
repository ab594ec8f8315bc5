package dev.asyncshop.order.web;

import java.io.IOException;

/**
 * A request body over the limit. An {@link IOException}, so that it surfaces the same way whether
 * the declared length gave it away or the bytes did while being read.
 */
class BodyTooLargeException extends IOException {

  BodyTooLargeException(long limit) {
    super("The request body may be at most " + limit + " bytes");
  }
}
