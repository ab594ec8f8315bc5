package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU goes: CPU by thread from {@code /proc} over the measured window, and a
 * Flight Recorder recording (settings {@code profile}, Java samples every 10 ms of a running
 * thread, from the loop's start to the end of its last orders) started and stopped with {@code
 * jcmd}, read back into four tables: samples by thread (numbers stripped from the names, so a pool
 * is one row), by the frame on top of the stack (where the CPU is spent), by that frame's package,
 * and by frame anywhere in the stack (what it is spent for; a method counted once per sample
 * however deep its recursion).
 *
 * <p>The first recording a running JVM starts changes its JVMTI state, and the JVM throws away much
 * of the code its JIT compilers made: on two busy cores it runs interpreted for minutes afterwards
 * (two minutes under load after a first recording had been started and stopped still left a third
 * of the samples interpreted), and a profile taken then shows the interpreter, not the service. So
 * the recording is taken in a JVM that has had one running since its start ({@link #FROM_START}),
 * and {@code interpreted} says how much of it ran in the interpreter all the same, as a young
 * service does.
 *
 * @param cpuSeconds CPU seconds of the whole process in the window, from {@code /proc}, threads
 *     that ended in it included
 * @param cpuByThread CPU seconds by thread in the window, from {@code /proc}, largest first
 * @param samples Java execution samples in the recording
 * @param interpreted samples whose top frame ran in the interpreter, not in compiled code
 * @param byThread samples by thread pool, largest first
 * @param selfFrames samples by top frame, largest first
 * @param packages samples by the package of the top frame (its first three names), largest first
 * @param totalFrames samples by frame anywhere in the stack, largest first
 */
record Profile(
    String service,
    double cpuSeconds,
    Map<String, Double> cpuByThread,
    long samples,
    long interpreted,
    Map<String, Long> byThread,
    Map<String, Long> selfFrames,
    Map<String, Long> packages,
    Map<String, Long> totalFrames) {

  static final int ROWS = 15;

  /** Deep enough for a request through Spring Security's filters; Flight Recorder keeps 64. */
  static final String STACK_DEPTH = "-XX:FlightRecorderOptions:stackdepth=512";

  /**
   * A recording from the JVM's start to its end, kept in memory only and never written: it makes
   * the JVM's JVMTI change before any code is compiled, so that {@link #start} costs no compiled
   * code.
   */
  static final String FROM_START =
      "-XX:StartFlightRecording:settings=profile,name=from-start,disk=false";

  private static final String RECORDING = "benchmark";

  /** Starts a recording in the service, which records until {@link #stop} writes it. */
  static void start(ServiceProcess service) {
    jcmd(service, "JFR.start", "name=" + RECORDING, "settings=profile");
  }

  /**
   * Stops the recording, writes it under {@code directory} and reads it.
   *
   * @param cpuSeconds CPU seconds of the process over the measured window
   * @param cpuByThread CPU seconds by thread over that window
   */
  static Profile stop(
      ServiceProcess service, Path directory, double cpuSeconds, Map<String, Double> cpuByThread) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(service.name() + "-service.jfr").toAbsolutePath();
      jcmd(service, "JFR.stop", "name=" + RECORDING, "filename=" + file);
      return read(service.name() + "-service", file, cpuSeconds, cpuByThread);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the recording of " + service.name(), e);
    }
  }

  static Profile read(String service, Path file, double cpuSeconds, Map<String, Double> cpuByThread)
      throws IOException {
    long samples = 0;
    long interpreted = 0;
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> packages = new HashMap<>();
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> total = new HashMap<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      samples++;
      RecordedThread thread = event.getThread("sampledThread");
      byThread.merge(pool(thread), 1L, Long::sum);
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      RecordedFrame top = frames.get(0);
      self.merge(name(top.getMethod()), 1L, Long::sum);
      packages.merge(packageOf(top.getMethod()), 1L, Long::sum);
      if ("Interpreted".equals(top.getType())) {
        interpreted++;
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame.getMethod());
        if (seen.add(name)) {
          total.merge(name, 1L, Long::sum);
        }
      }
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpuByThread.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(ROWS)
        .forEach(e -> cpu.put(e.getKey(), e.getValue()));
    return new Profile(
        service,
        cpuSeconds,
        cpu,
        samples,
        interpreted,
        largest(byThread),
        largest(self),
        largest(packages),
        largest(total));
  }

  private static String pool(RecordedThread thread) {
    String name = thread == null ? null : thread.getJavaName();
    if (name == null) {
      return "(no Java thread)";
    }
    return name.replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "<id>")
        .replaceAll("\\d+", "N");
  }

  private static String name(RecordedMethod method) {
    String type = method.getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + method.getName();
  }

  private static String packageOf(RecordedMethod method) {
    String type = method.getType().getName();
    int end = type.lastIndexOf('.');
    if (end < 0) {
      return "(no package)";
    }
    String[] names = type.substring(0, end).split("\\.");
    return String.join(".", Arrays.copyOf(names, Math.min(3, names.length)));
  }

  private static Map<String, Long> largest(Map<String, Long> counts) {
    Map<String, Long> top = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(ROWS)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  private static void jcmd(ServiceProcess service, String... command) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(String.valueOf(service.pid()));
    line.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", line) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + String.join(" ", line), e);
    }
  }
}
