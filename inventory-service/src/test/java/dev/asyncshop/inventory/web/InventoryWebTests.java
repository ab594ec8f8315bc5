package dev.asyncshop.inventory.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.inventory.stock.Catalogue;
import dev.asyncshop.inventory.stock.Product;
import dev.asyncshop.inventory.stock.Stock;
import dev.asyncshop.inventory.stock.UnknownProductException;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * inventory-service's HTTP API alone: the product controller and the problem details, with the
 * catalogue and the stock stubbed. No broker, no database.
 */
@WebMvcTest
@Import({
  InventoryWebTests.SignedIn.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class InventoryWebTests {

  /**
   * Every request of these tests is signed in as an operator, who may also change stock;
   * InventoryAccessTests tries the others.
   */
  @TestConfiguration
  static class SignedIn {
    @Bean
    MockMvcBuilderCustomizer bearerToken() {
      return builder ->
          builder.defaultRequest(
              MockMvcRequestBuilders.get("/")
                  .header(
                      HttpHeaders.AUTHORIZATION,
                      TestTokensConfiguration.TOKENS.bearer("olivia", "OPS")));
    }
  }

  private static final Product KETTLE =
      new Product(
          "SKU-008", "Pour-over kettle", new BigDecimal("39.90"), "EUR", new BigDecimal("1.1"), 50);

  @Autowired MockMvcTester mvc;

  @MockitoBean Catalogue catalogue;
  @MockitoBean Stock stock;

  private MvcTestResult putStock(String sku, MediaType type, String body) {
    return mvc.put().uri("/products/{sku}/stock", sku).contentType(type).content(body).exchange();
  }

  @Test
  void theCatalogueIsServedWithItsStock() {
    given(catalogue.all()).willReturn(List.of(KETTLE));

    assertThat(mvc.get().uri("/products").exchange())
        .hasStatusOk()
        .bodyJson()
        .hasPathSatisfying("$[0].sku", sku -> assertThat(sku).isEqualTo("SKU-008"))
        .hasPathSatisfying("$[0].stock", stock -> assertThat(stock).isEqualTo(50));
  }

  @Test
  void anUnknownProductIsNotFoundAndNamed() {
    given(catalogue.find("SKU-404")).willReturn(Optional.empty());

    assertThat(mvc.get().uri("/products/SKU-404").exchange())
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Unknown product"))
        .hasPathSatisfying("$.sku", sku -> assertThat(sku).isEqualTo("SKU-404"));
  }

  @Test
  void aStockLevelIsSetAndTheProductAnswered() {
    given(catalogue.find("SKU-008")).willReturn(Optional.of(KETTLE));

    assertThat(putStock("SKU-008", MediaType.APPLICATION_JSON, "{\"quantity\": 50}"))
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.stock")
        .isEqualTo(50);
    then(stock).should().setLevel("SKU-008", 50);
  }

  @Test
  void aNegativeStockLevelIsABadRequestThatNamesTheFieldAndChangesNothing() {
    assertThat(putStock("SKU-008", MediaType.APPLICATION_JSON, "{\"quantity\": -1}"))
        .hasStatus(400)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Invalid request"))
        .hasPathSatisfying("$.errors[0].field", field -> assertThat(field).isEqualTo("quantity"));
    verifyNoInteractions(stock);
  }

  @Test
  void aMissingStockLevelIsABadRequestThatNamesTheField() {
    assertThat(putStock("SKU-008", MediaType.APPLICATION_JSON, "{}"))
        .hasStatus(400)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("quantity");
    verifyNoInteractions(stock);
  }

  @Test
  void aStockLevelThatIsNotJsonIsAnUnreadableRequestBody() {
    assertThat(putStock("SKU-008", MediaType.APPLICATION_JSON, "{\"quantity\": "))
        .hasStatus(400)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Unreadable request body");
    verifyNoInteractions(stock);
  }

  @Test
  void aStockLevelThatIsNotJsonByItsTypeIsAnUnsupportedMediaType() {
    assertThat(putStock("SKU-008", MediaType.TEXT_PLAIN, "50"))
        .hasStatus(415)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    verifyNoInteractions(stock);
  }

  @Test
  void aStockLevelForAnUnknownProductIsNotFound() {
    willThrow(new UnknownProductException("SKU-404")).given(stock).setLevel("SKU-404", 5);

    assertThat(putStock("SKU-404", MediaType.APPLICATION_JSON, "{\"quantity\": 5}"))
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.sku")
        .isEqualTo("SKU-404");
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorThatKeepsItsDetailsToItself() {
    given(catalogue.all()).willThrow(new IllegalStateException("connection pool secret"));

    MvcTestResult result = mvc.get().uri("/products").exchange();

    assertThat(result)
        .hasStatus(500)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Internal error");
    assertThat(result).bodyText().doesNotContain("secret");
  }

  /** The slice leaves common-messaging's auto-configuration, and with it every broker, out. */
  @Test
  void theSliceHoldsNoMessagingNoBrokerClientAndNoDatabase(@Autowired ApplicationContext context) {
    assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    assertThat(Arrays.stream(context.getBeanDefinitionNames()).map(context::getType))
        .filteredOn(Objects::nonNull)
        .extracting(Class::getName)
        .noneMatch(
            type ->
                Stream.of(
                        "dev.asyncshop.messaging.",
                        "org.springframework.amqp.",
                        "org.springframework.kafka.",
                        "org.springframework.data.redis.",
                        "org.springframework.jdbc.")
                    .anyMatch(type::startsWith));
  }
}
