package dev.asyncshop.shipping;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ShippingServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShippingServiceApplication.class, args);
  }
}
