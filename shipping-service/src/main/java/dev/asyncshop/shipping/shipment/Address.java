package dev.asyncshop.shipping.shipment;

/** Where a parcel goes. */
public record Address(String name, String street, String city, String postalCode, String country) {}
