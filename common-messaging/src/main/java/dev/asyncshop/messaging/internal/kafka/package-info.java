/** Events and the audit trail on Kafka, through spring-kafka. */
@NullMarked
package dev.asyncshop.messaging.internal.kafka;

import org.jspecify.annotations.NullMarked;
