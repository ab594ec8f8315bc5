package dev.asyncshop.messaging.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.QueryTimeoutException;
import dev.asyncshop.messaging.testkit.DeadLetteredMessage;
import dev.asyncshop.messaging.testkit.HandledMessage;
import dev.asyncshop.messaging.testkit.InMemoryMessage;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.LoyaltyPoints;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.LoyaltyQuery;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.OrderPaid;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.PackParcel;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.ParcelPacked;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.Price;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.PriceQuery;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.Restock;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.Restocked;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.ShipOrder;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.StockNotice;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@MessagingTest
class MessagingTestKitTests {

  @Autowired MessagingTestKit messaging;
  @Autowired Warehouse warehouse;

  @Test
  void aSentCommandIsHandledAndWhatItsHandlerPublishesIsRecorded() {
    InMemoryMessage command = messaging.send(new PackParcel("o-1", 0, false));

    assertThat(messaging.handled(PackParcel.class))
        .containsExactly(new PackParcel("o-1", 0, false));
    assertThat(messaging.published(ParcelPacked.class)).containsExactly(new ParcelPacked("o-1"));
    Envelope packed = messaging.outbound().get(0).envelope();
    assertThat(packed.correlationId()).isEqualTo(command.envelope().correlationId());
    assertThat(packed.causationId()).isEqualTo(command.envelope().id());
    assertThat(messaging.deadLetters()).isEmpty();
  }

  @Test
  void aRedeliveredCommandIsSkippedAsADuplicate() {
    InMemoryMessage command = messaging.send(new PackParcel("o-2", 0, false));

    messaging.deliver(command);

    assertThat(messaging.handled(PackParcel.class)).hasSize(1);
    assertThat(messaging.duplicatesSkipped(PackParcel.class))
        .containsExactly(new PackParcel("o-2", 0, false));
    assertThat(messaging.published(ParcelPacked.class)).hasSize(1);
  }

  @Test
  void aFailingHandlerIsRetriedWithShortDelaysThenHandled() {
    long start = System.nanoTime();

    messaging.send(new PackParcel("o-3", 2, false));

    // The route waits 10 s before a retry; the kit 1 ms.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(messaging.handledMessages(PackParcel.class))
        .singleElement()
        .extracting(HandledMessage::attempts)
        .isEqualTo(3);
    assertThat(messaging.retries(PackParcel.class)).isEqualTo(2);
    assertThat(messaging.published(ParcelPacked.class)).containsExactly(new ParcelPacked("o-3"));
  }

  @Test
  void aHandlerThatKeepsFailingIsDeadLetteredOnceTheRoutesRetriesAreSpent() {
    messaging.send(new PackParcel("o-4", 10, false));

    assertThat(messaging.deadLettered(PackParcel.class))
        .singleElement()
        .satisfies(
            dead -> {
              assertThat(dead.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
              assertThat(dead.attempts()).isEqualTo(3);
              assertThat(dead.failure()).hasMessage("Warehouse busy, run 3");
              assertThat(dead.deadLetter().headers())
                  .containsEntry(DeadLetterHeaders.ORIGINAL_DESTINATION, "example.pack");
            });
    assertThat(messaging.handled(PackParcel.class)).isEmpty();
    assertThat(messaging.published(ParcelPacked.class)).isEmpty();
  }

  @Test
  void whatAHandlerWritesToTheOutboxAndItsAfterCommitCodeGoOutOnceItReturned() {
    messaging.send(new Restock("sku-r1", 5, 0));

    assertThat(messaging.published(Restocked.class)).containsExactly(new Restocked("sku-r1", 5));
    assertThat(messaging.broadcasts(StockNotice.class))
        .containsExactly(new StockNotice("sku-r1", 5));
  }

  @Test
  void aRunThatFailsAfterWritingToTheOutboxSendsNothing() {
    messaging.send(new Restock("sku-r2", 5, 2));

    assertThat(messaging.retries(Restock.class)).isEqualTo(2);
    assertThat(messaging.published(Restocked.class)).containsExactly(new Restocked("sku-r2", 5));
    assertThat(messaging.broadcasts(StockNotice.class))
        .containsExactly(new StockNotice("sku-r2", 5));
  }

  @Test
  void aHandlerThatWritesToTheOutboxAndKeepsFailingSendsNothing() {
    messaging.send(new Restock("sku-r3", 5, 10));

    assertThat(messaging.deadLettered(Restock.class)).hasSize(1);
    assertThat(messaging.published(Restocked.class)).isEmpty();
    assertThat(messaging.broadcasts(StockNotice.class)).isEmpty();
  }

  @Test
  void aNonRetryableFailureIsDeadLetteredAtOnce() {
    messaging.send(new PackParcel("o-5", 0, true));

    assertThat(messaging.deadLettered(PackParcel.class))
        .singleElement()
        .satisfies(
            dead -> {
              assertThat(dead.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
              assertThat(dead.attempts()).isEqualTo(1);
            });
    assertThat(messaging.retries(PackParcel.class)).isZero();
  }

  @Test
  void aPayloadThatDoesNotBindIsPoison() {
    InMemoryMessage command =
        messaging.message(new PackParcel("o-6", 0, false), MessageOptions.NONE);

    messaging.deliver(command.withData("{not json".getBytes(StandardCharsets.UTF_8)));

    assertThat(messaging.deadLettered(PackParcel.class))
        .singleElement()
        .extracting(DeadLetteredMessage::reason, DeadLetteredMessage::attempts)
        .containsExactly(DeadLetterReason.POISON, 0);
  }

  @Test
  void aMessageOfATypeNobodyRoutesIsPoison() {
    InMemoryMessage command =
        messaging.message(new PackParcel("o-7", 0, false), MessageOptions.NONE);
    Envelope e = command.envelope();
    Envelope unknown =
        new Envelope(
            e.id(),
            e.source(),
            "example.unknown.v1",
            e.time(),
            e.subject(),
            e.dataContentType(),
            e.correlationId(),
            e.causationId(),
            e.traceparent(),
            e.partitionKey());

    messaging.deliver(command.withEnvelope(unknown));

    assertThat(messaging.deadLetters())
        .singleElement()
        .extracting(DeadLetteredMessage::reason)
        .isEqualTo(DeadLetterReason.POISON);
  }

  @Test
  void aQueryIsAnsweredByItsHandler() {
    Price price = messaging.ask(new PriceQuery("sku-1"), Price.class);

    assertThat(price).isEqualTo(new Price("sku-1", new BigDecimal("9.99")));
    assertThat(messaging.answered(PriceQuery.class, Price.class)).containsExactly(price);
    assertThat(messaging.answeredQueries().get(0).reply().envelope().type())
        .isEqualTo("example.price.reply.v1");
  }

  @Test
  void aQueryWhoseHandlerFailsFailsItsAskerAndIsDeadLettered() {
    assertThatThrownBy(() -> messaging.ask(new PriceQuery("nope"), Price.class))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("Unknown SKU nope");

    assertThat(messaging.deadLettered(PriceQuery.class))
        .singleElement()
        .extracting(DeadLetteredMessage::reason)
        .isEqualTo(DeadLetterReason.NON_RETRYABLE);
  }

  @Test
  void aQueryTheServiceAsksIsAnsweredByTheTest() {
    messaging.answer(LoyaltyQuery.class, query -> new LoyaltyPoints(42));

    messaging.publish(new OrderPaid("o-8"));

    assertThat(messaging.asked(LoyaltyQuery.class)).containsExactly(new LoyaltyQuery("o-8"));
    assertThat(messaging.sent(ShipOrder.class)).containsExactly(new ShipOrder("o-8", 42));
  }

  @Test
  void aQueryNobodyAnswersTimesOutAtOnce() {
    messaging.publish(new OrderPaid("o-9"));

    assertThat(messaging.deadLettered(OrderPaid.class))
        .singleElement()
        .satisfies(
            dead -> {
              assertThat(dead.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
              assertThat(dead.failure()).hasRootCauseInstanceOf(QueryTimeoutException.class);
            });
    assertThat(messaging.sent(ShipOrder.class)).isEmpty();
  }

  @Test
  void aBroadcastReachesItsHandler() {
    messaging.broadcast(new StockNotice("sku-1", 3));

    assertThat(messaging.handled(StockNotice.class)).containsExactly(new StockNotice("sku-1", 3));
    assertThat(warehouse.notices).contains(new StockNotice("sku-1", 3));
  }

  @Test
  void aMessageSentAsTheWrongKindIsRefused() {
    assertThatThrownBy(() -> messaging.publish(new PackParcel("o-10", 0, false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routed as a command");
  }

  @Test
  void eachTestStartsWithAnEmptyKit() {
    assertThat(messaging.outbound()).isEmpty();
    assertThat(messaging.audit()).isEmpty();
    assertThat(messaging.deadLetters()).isEmpty();
  }
}
