package dev.asyncshop.payment;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PaymentServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(PaymentServiceApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  OpenAPI paymentApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("payment-service")
                .version("v1")
                .description(
                    "Payments of orders through a simulated card gateway. Payments are authorized"
                        + " and refunded over messages (payment.authorize, payment.refund); HTTP"
                        + " only reads them."));
  }
}
