package dev.asyncshop.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OpsConsoleApplication {

  public static void main(String[] args) {
    SpringApplication.run(OpsConsoleApplication.class, args);
  }
}
