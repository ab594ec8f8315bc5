package dev.asyncshop.order.placement.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.placement.PlaceOrder;
import dev.asyncshop.order.web.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /orders}. Every field may be missing in what a client sends; validation
 * turns that into a problem detail before anything else happens. The customer is not in the body:
 * it is whoever the bearer token names.
 */
record PlaceOrderRequest(
    @NotEmpty @Size(max = 50) @Nullable List<@NotNull @Valid Item> items,
    @NotNull @Valid @Nullable Address shippingAddress,
    @NotNull @Valid @Nullable Payment payment) {

  record Item(
      @NotBlank @Size(max = 64) @PlainText @Nullable String sku,
      @NotNull @Min(1) @Max(1000) @Nullable Integer quantity) {}

  record Address(
      @NotBlank @Size(max = 200) @PlainText @Nullable String name,
      @NotBlank @Size(max = 200) @PlainText @Nullable String street,
      @NotBlank @Size(max = 100) @PlainText @Nullable String city,
      @NotBlank @Size(max = 20) @PlainText @Nullable String postalCode,
      @NotNull
          @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code, like DE")
          @Nullable String country) {}

  record Payment(@NotBlank @Size(max = 200) @PlainText @Nullable String cardToken) {}

  /** A SKU twice would be two reservations of one product; the client merges them. */
  @JsonIgnore
  @AssertTrue(message = "each SKU may appear only once")
  boolean isEachSkuOnce() {
    if (items == null) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    return items.stream().filter(Objects::nonNull).map(Item::sku).allMatch(seen::add);
  }

  /** Only called on a valid request. */
  PlaceOrder toCommand(String customerId) {
    Address address = Objects.requireNonNull(shippingAddress);
    return new PlaceOrder(
        customerId,
        Objects.requireNonNull(items).stream()
            .map(
                item ->
                    new PlaceOrder.Item(
                        Objects.requireNonNull(item.sku()),
                        Objects.requireNonNull(item.quantity())))
            .toList(),
        new ShippingAddress(
            Objects.requireNonNull(address.name()),
            Objects.requireNonNull(address.street()),
            Objects.requireNonNull(address.city()),
            Objects.requireNonNull(address.postalCode()),
            Objects.requireNonNull(address.country())),
        Objects.requireNonNull(Objects.requireNonNull(payment).cardToken()));
  }
}
