/**
 * Benchmarks: common-messaging against the raw Spring clients on each transport, and the order saga
 * of the four services under HTTP load. Run by {@code ./benchmarks/run}; never part of the tests.
 */
@NullMarked
package dev.asyncshop.benchmarks;

import org.jspecify.annotations.NullMarked;
