package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.projection.Projection;
import dev.asyncshop.messaging.projection.Projections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit-trail projection, in the one service that keeps it ({@code
 * messaging.projections.audit-trail.enabled}): before the projection engine's configuration, which
 * runs only when there is a projection.
 */
@AutoConfiguration(
    afterName = {
      "dev.asyncshop.messaging.internal.parking.ParkingLotAutoConfiguration",
      "dev.asyncshop.messaging.internal.kafka.KafkaMessagingAutoConfiguration"
    },
    before = ProjectionAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "messaging.projections.audit-trail.enabled")
@ConditionalOnBean(JdbcTemplate.class)
@EnableConfigurationProperties(MessagingProperties.class)
class AuditTrailProjectionAutoConfiguration {

  @Bean
  AuditTrailProjection messagingAuditTrailProjectionHandler(
      JdbcTemplate jdbc, ObjectProvider<JsonMapper> json, ObjectProvider<Projections> projections) {
    return new AuditTrailProjection(
        jdbc, json.getIfAvailable(() -> JsonMapper.builder().build()), projections::getObject);
  }

  @Bean
  Projection messagingAuditTrailProjection(
      AuditTrailProjection messagingAuditTrailProjectionHandler, MessagingProperties properties) {
    return AuditTrailProjection.definition(
        properties.audit().topic(), messagingAuditTrailProjectionHandler);
  }

  /** {@code /ops/audit/{correlationId}}, in a servlet web application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class WebConfiguration {

    @Bean
    AuditStepsController messagingAuditStepsController(
        AuditTrailProjection messagingAuditTrailProjectionHandler) {
      return new AuditStepsController(messagingAuditTrailProjectionHandler);
    }
  }
}
