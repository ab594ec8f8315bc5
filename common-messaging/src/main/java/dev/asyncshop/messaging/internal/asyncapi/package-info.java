/**
 * AsyncAPI 3.0 documents of a service, generated from its routes and its message records: served at
 * {@code /actuator/asyncapi} and written by the build to {@code docs/asyncapi/}.
 */
@NullMarked
package dev.asyncshop.messaging.internal.asyncapi;

import org.jspecify.annotations.NullMarked;
