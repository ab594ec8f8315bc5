package dev.asyncshop.inventory.stock.web;

import dev.asyncshop.inventory.stock.Catalogue;
import dev.asyncshop.inventory.stock.Stock;
import dev.asyncshop.inventory.stock.UnknownProductException;
import dev.asyncshop.inventory.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Objects;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/products")
class ProductController {

  private final Catalogue catalogue;
  private final Stock stock;

  ProductController(Catalogue catalogue, Stock stock) {
    this.catalogue = catalogue;
    this.stock = stock;
  }

  @GetMapping
  @Operation(summary = "Every product of the catalogue, with its stock")
  List<ProductView> all() {
    return catalogue.all().stream().map(ProductView::of).toList();
  }

  @GetMapping("/{sku}")
  @Operation(summary = "One product, with its stock")
  ProductView one(@PathVariable @Size(max = 64) @PlainText String sku) {
    return catalogue
        .find(sku)
        .map(ProductView::of)
        .orElseThrow(() -> new UnknownProductException(sku));
  }

  @PutMapping("/{sku}/stock")
  @Operation(
      summary = "Sets the stock level",
      description =
          "Absolute, not a delta, so a repeated call changes nothing. Broadcasts the new level.")
  ProductView restock(
      @PathVariable @Size(max = 64) @PlainText String sku, @Valid @RequestBody StockLevel level) {
    stock.setLevel(sku, Objects.requireNonNull(level.quantity()));
    return one(sku);
  }
}
