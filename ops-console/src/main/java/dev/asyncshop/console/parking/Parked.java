package dev.asyncshop.console.parking;

/** A parked message and the service whose parking lot holds it. */
record Parked(String service, ParkedSummary summary) {}
