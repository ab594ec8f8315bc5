package dev.asyncshop.order;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
// The saga's timeout sweeper and the live streams' catch-up run on the scheduler.
@EnableScheduling
public class OrderServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(OrderServiceApplication.class, args);
  }

  /** The orders database is created on first start; see {@link DatabaseCreation}. */
  @Bean
  @ConditionalOnBooleanProperty(name = "order.database.create-if-missing", matchIfMissing = true)
  static DatabaseCreation databaseCreation(Environment environment) {
    return new DatabaseCreation(environment);
  }

  /** One clock for every timestamp of an order, so tests and timeouts agree on "now". */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
