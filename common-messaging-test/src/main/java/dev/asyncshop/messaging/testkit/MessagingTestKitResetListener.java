package dev.asyncshop.messaging.testkit;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets the {@link MessagingTestKit} of a test's context before each test method, so that tests
 * sharing a cached context never see each other's messages; and after it, fails a test that left
 * messages unacknowledged without reading them ({@link MessagingTestKit#unacknowledged()}). The
 * kit's own sends fail at once; this catches the messages set off by anything else, such as a
 * direct call of the service's code, whose failure would otherwise only be logged.
 */
public final class MessagingTestKitResetListener implements TestExecutionListener, Ordered {

  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext()) {
      testContext
          .getApplicationContext()
          .getBeanProvider(MessagingTestKit.class)
          .ifAvailable(MessagingTestKit::reset);
    }
  }

  /** Not when the test already failed: its own failure says more. */
  @Override
  public void afterTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext() && testContext.getTestException() == null) {
      testContext
          .getApplicationContext()
          .getBeanProvider(MessagingTestKit.class)
          .ifAvailable(MessagingTestKit::failOnUnseenUnacknowledged);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }
}
