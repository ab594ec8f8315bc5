package dev.asyncshop.inventory.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

@MessagingTest(CatalogueQueries.class)
class CatalogueHandlerTests {

  @Autowired MessagingTestKit messaging;
  @MockitoBean Catalogue catalogue;

  @Test
  void aCatalogueQueryIsAnsweredWithTheProductsFoundAndTheSkusNotSold() {
    given(catalogue.findAll(Set.of("sku-1", "nope")))
        .willReturn(
            List.of(
                new Product(
                    "sku-1", "Kettle", new BigDecimal("24.90"), "EUR", new BigDecimal("1.2"), 7)));

    CatalogueReply reply =
        messaging.ask(new CatalogueQuery(List.of("sku-1", "nope")), CatalogueReply.class);

    assertThat(reply.products())
        .containsExactly(
            new CatalogueReply.Entry(
                "sku-1", "Kettle", new BigDecimal("24.90"), "EUR", new BigDecimal("1.2")));
    assertThat(reply.unknownSkus()).containsExactly("nope");
    assertThat(messaging.answered(CatalogueQuery.class, CatalogueReply.class))
        .containsExactly(reply);
  }

  @Test
  void aCatalogueQueryWithoutSkusIsAnsweredEmpty() {
    CatalogueReply reply = messaging.ask(new CatalogueQuery(null), CatalogueReply.class);

    assertThat(reply.products()).isEmpty();
    assertThat(reply.unknownSkus()).isEmpty();
  }
}
