package dev.asyncshop.messaging.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import dev.asyncshop.messaging.testkit.MessagingTestKitResetListener;
import dev.asyncshop.messaging.testkit.UnacknowledgedMessage;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.PackParcel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestContext;

/**
 * A message the service sets off itself, outside the kit's sends, and leaves unacknowledged fails
 * the test at its end unless the test read it.
 */
@MessagingTest
@Import(UnseenUnacknowledgedMessagesTests.StuckMessages.class)
class UnseenUnacknowledgedMessagesTests {

  @Autowired MessagingTestKit messaging;
  @Autowired MessageGateway gateway;
  @Autowired ApplicationContext context;

  private final MessagingTestKitResetListener listener = new MessagingTestKitResetListener();

  @Test
  void anUnacknowledgedMessageTheTestDidNotReadFailsItAtItsEnd() {
    gateway.send(new PackParcel("stuck-1", 0, false));

    assertThatThrownBy(() -> listener.afterTestMethod(endOfTest(null)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("example.pack.v1")
        .hasMessageContaining("MessagingTestKit.unacknowledged()")
        .cause()
        .hasMessage("stuck before its handler");
  }

  @Test
  void onceReadItNoLongerFailsTheTest() {
    gateway.send(new PackParcel("stuck-2", 0, false));

    assertThat(messaging.unacknowledged())
        .singleElement()
        .extracting(UnacknowledgedMessage::failure)
        .extracting(Throwable::getMessage)
        .isEqualTo("stuck before its handler");
    assertThatCode(() -> listener.afterTestMethod(endOfTest(null))).doesNotThrowAnyException();
  }

  @Test
  void aSendOfTheKitThatFailedCountsAsRead() {
    assertThatThrownBy(() -> messaging.send(new PackParcel("stuck-3", 0, false)))
        .isInstanceOf(AssertionError.class);

    assertThatCode(() -> listener.afterTestMethod(endOfTest(null))).doesNotThrowAnyException();
  }

  @Test
  void aTestThatFailedAnywayIsNotFailedAgain() {
    gateway.send(new PackParcel("stuck-4", 0, false));

    assertThatCode(() -> listener.afterTestMethod(endOfTest(new AssertionError("own failure"))))
        .doesNotThrowAnyException();
    messaging.unacknowledged();
  }

  private TestContext endOfTest(Throwable testException) {
    TestContext testContext = mock(TestContext.class);
    given(testContext.hasApplicationContext()).willReturn(true);
    given(testContext.getApplicationContext()).willReturn(context);
    given(testContext.getTestException()).willReturn(testException);
    return testContext;
  }

  /** Gives back every parcel of an order whose id starts with "stuck", outside the retries. */
  @TestConfiguration(proxyBeanMethods = false)
  static class StuckMessages {

    @Bean
    ConsumerStep stuckMessages() {
      return new ConsumerStep() {
        @Override
        public ConsumeResult process(ConsumerContext context, Chain next) {
          if (context.payload() instanceof PackParcel parcel
              && parcel.orderId().startsWith("stuck")) {
            throw new IllegalStateException("stuck before its handler");
          }
          return next.proceed(context);
        }

        @Override
        public int getOrder() {
          return ConsumerStepOrder.READ_PAYLOAD + 10;
        }
      };
    }
  }
}
