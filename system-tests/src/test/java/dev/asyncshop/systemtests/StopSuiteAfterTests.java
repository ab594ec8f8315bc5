package dev.asyncshop.systemtests;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops this JVM's suite once its tests are done, before the JVM exits. A shutdown hook alone would
 * race the embedded Kafka broker's own hook: services whose Kafka went away first take their whole
 * shutdown timeout to stop, longer than the test runner waits for a JVM to exit, and are left
 * running when it kills the JVM. The hook stays for a JVM that ends otherwise.
 */
public class StopSuiteAfterTests implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    Suite.stopRunning();
  }
}
