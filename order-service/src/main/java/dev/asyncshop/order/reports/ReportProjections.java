package dev.asyncshop.order.reports;

import dev.asyncshop.messaging.projection.Projection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/** The projections of this package, each with the script of its tables. */
@Configuration(proxyBeanMethods = false)
class ReportProjections {

  static final String PRODUCT_SALES = "product-sales";
  static final String CUSTOMER_ORDERS = "customer-orders";

  @Bean
  Projection productSales() {
    return new Projection(PRODUCT_SALES, new ClassPathResource("projections/product-sales.sql"));
  }

  @Bean
  Projection customerOrders() {
    return new Projection(
        CUSTOMER_ORDERS, new ClassPathResource("projections/customer-orders.sql"));
  }
}
