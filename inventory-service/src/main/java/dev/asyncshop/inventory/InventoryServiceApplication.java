package dev.asyncshop.inventory;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class InventoryServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(InventoryServiceApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  OpenAPI inventoryApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("inventory-service")
                .version("v1")
                .description(
                    "The product catalogue and its stock. Reservations happen over messages"
                        + " (inventory.reserve, inventory.release), not over HTTP."));
  }
}
