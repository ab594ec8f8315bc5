package dev.asyncshop.order;

/**
 * Where the parcel goes.
 *
 * @param country ISO 3166-1 alpha-2 code
 */
public record ShippingAddress(
    String name, String street, String city, String postalCode, String country) {}
