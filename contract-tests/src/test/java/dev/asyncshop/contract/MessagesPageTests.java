package dev.asyncshop.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Writes {@code docs/messages.md} from the AsyncAPI documents; unchanged documents, same page. */
class MessagesPageTests {

  static final Path PAGE = ServiceDocument.ROOT.resolve("docs/messages.md");

  final String page = MessagesPage.of(ContractTests.DOCUMENTS.values());

  @Test
  void theBuildWritesTheMessagesPageFromTheDocuments() throws IOException {
    if (!Files.exists(PAGE) || !Files.readString(PAGE, StandardCharsets.UTF_8).equals(page)) {
      Files.writeString(PAGE, page, StandardCharsets.UTF_8);
    }

    assertThat(PAGE).content(StandardCharsets.UTF_8).isEqualTo(page);
  }

  @Test
  void eachTypeShowsItsChannelItsPartiesAndItsPayload() {
    assertThat(page)
        .contains(
            "| `inventory.reserve.v1` | `inventory.reserve` | order → inventory |"
                + " `{lines: [{quantity, sku}], orderId: uuid}` |",
            "| `shipping.quote.v1` | `shipping.quote` | order → shipping |"
                + " `{country, weightKg}` | `{currency, etaDays, price}` |",
            "| `inventory.reserved.v1` | `inventory.events` | inventory → order (`order-service`) |",
            "| `stock.changed.v1` | `inventory.stock` | inventory → (none in the suite) |");
  }
}
