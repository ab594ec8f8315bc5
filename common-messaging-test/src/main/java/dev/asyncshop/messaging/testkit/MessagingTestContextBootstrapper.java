package dev.asyncshop.messaging.testkit;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Reads {@link MessagingTest#properties()} into the test's environment. */
class MessagingTestContextBootstrapper extends TestSliceTestContextBootstrapper<MessagingTest> {}
