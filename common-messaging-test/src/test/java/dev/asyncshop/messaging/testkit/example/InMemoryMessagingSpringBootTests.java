package dev.asyncshop.messaging.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.testkit.AutoConfigureInMemoryMessaging;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.PackParcel;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.ParcelPacked;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
@AutoConfigureInMemoryMessaging
class InMemoryMessagingSpringBootTests {

  @Autowired MessagingTestKit messaging;

  @Test
  void theWholeApplicationRunsOnTheInMemoryTransports() {
    messaging.send(new PackParcel("o-1", 1, false));

    assertThat(messaging.published(ParcelPacked.class)).containsExactly(new ParcelPacked("o-1"));
    assertThat(messaging.retries(PackParcel.class)).isEqualTo(1);
  }
}
