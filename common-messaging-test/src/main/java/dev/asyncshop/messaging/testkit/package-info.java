/**
 * An in-memory test kit for common-messaging: a service's handlers run through the library's own
 * consumer and publisher steps over in-memory transports, and {@link
 * dev.asyncshop.messaging.testkit.MessagingTestKit} sends into them and tells what they did. For
 * tests against the real brokers, {@link dev.asyncshop.messaging.testkit.BrokerRedelivery} has the
 * broker deliver a message twice.
 */
@NullMarked
package dev.asyncshop.messaging.testkit;

import org.jspecify.annotations.NullMarked;
