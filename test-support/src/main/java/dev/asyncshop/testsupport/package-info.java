/**
 * What the integration tests, the system tests and the benchmarks share: the brokers and databases
 * they run against, and the services as processes.
 */
@NullMarked
package dev.asyncshop.testsupport;

import org.jspecify.annotations.NullMarked;
