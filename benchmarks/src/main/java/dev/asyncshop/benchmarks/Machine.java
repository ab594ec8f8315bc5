package dev.asyncshop.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the run ran on, from {@code /proc}. */
record Machine(int cores, String cpu, String memory, String loadAverage) {

  static Machine describe() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(), readCpu(), readMemory(), currentLoadAverage());
  }

  static String currentLoadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String readCpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String readMemory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(line -> line.startsWith("MemTotal:"))
          .map(
              line -> {
                long kib = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format("%.1f GiB (MemTotal %d kB)", kib / 1024.0 / 1024.0, kib);
              })
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
