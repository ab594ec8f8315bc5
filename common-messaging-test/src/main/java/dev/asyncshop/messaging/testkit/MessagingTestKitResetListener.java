package dev.asyncshop.messaging.testkit;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets the {@link MessagingTestKit} of a test's context before each test method, so that tests
 * sharing a cached context never see each other's messages.
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

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }
}
