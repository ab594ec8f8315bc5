package dev.asyncshop.shipping;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class ShippingServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShippingServiceApplication.class, args);
  }

  /** UTC, so "today" in an estimated delivery date is the same day on every instance. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  OpenAPI shippingApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("shipping-service")
                .version("v1")
                .description(
                    "Shipments of orders. Quotes (shipping.quote) and scheduling"
                        + " (shipping.schedule) happen over messages; HTTP only reads shipments."));
  }
}
