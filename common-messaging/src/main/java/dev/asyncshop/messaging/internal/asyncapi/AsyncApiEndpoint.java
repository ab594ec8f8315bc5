package dev.asyncshop.messaging.internal.asyncapi;

import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * {@code GET /actuator/asyncapi}: the service's AsyncAPI 3.0 document, JSON by default and YAML for
 * {@code Accept: application/yaml}. Built once, on the first request: routes and classes do not
 * change while the service runs.
 */
@WebEndpoint(id = "asyncapi")
class AsyncApiEndpoint {

  private final Supplier<Map<String, Object>> document;

  AsyncApiEndpoint(Supplier<Map<String, Object>> document) {
    this.document = document;
  }

  @ReadOperation(producesFrom = Format.class)
  WebEndpointResponse<String> document(Format format) {
    return new WebEndpointResponse<>(format.document.write(document.get()), format);
  }

  /** The media types the endpoint answers in. */
  enum Format implements Producible<Format> {
    JSON(MimeTypeUtils.APPLICATION_JSON, DocumentFormat.JSON) {
      @Override
      public boolean isDefault() {
        return true;
      }
    },
    YAML(new MimeType("application", "yaml"), DocumentFormat.YAML);

    private final MimeType mimeType;
    private final DocumentFormat document;

    Format(MimeType mimeType, DocumentFormat document) {
      this.mimeType = mimeType;
      this.document = document;
    }

    @Override
    public MimeType getProducedMimeType() {
      return mimeType;
    }
  }
}
