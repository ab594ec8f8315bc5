package dev.asyncshop.benchmarks;

/** Versions of what was measured, filled in as the run meets them. */
final class Versions {

  String rabbitmq = "?";
  String redis = "?";
  String postgres = "?";
  String kafka = "?";
}
