/** Commands and queries on RabbitMQ, through Spring AMQP. */
@NullMarked
package dev.asyncshop.messaging.internal.rabbit;

import org.jspecify.annotations.NullMarked;
