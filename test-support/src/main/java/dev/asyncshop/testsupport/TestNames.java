package dev.asyncshop.testsupport;

import java.util.UUID;

/** Names with a random suffix, so that tests never see each other's messages, keys or rows. */
public final class TestNames {

  private TestNames() {}

  /** {@code name} and a random suffix of eight hex digits: {@code it} → {@code it-3f2a9c01}. */
  public static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
