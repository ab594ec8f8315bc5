package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time used by each process of the saga (the four services, Kafka, RabbitMQ, Redis, every
 * PostgreSQL process, and the benchmark JVM with the load generator), from {@code
 * /proc/<pid>/stat}, to show where the two cores go per order.
 */
final class CpuTime {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux. */
  private static final double TICKS = 100.0;

  /** Not part of the shop: shown, but left out of the sum per order. */
  static final String LOAD_GENERATOR = "load generator (benchmark JVM)";

  private CpuTime() {}

  /** CPU seconds so far, by process group. */
  static Map<String, Double> snapshot(List<ServiceProcess> services) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (ServiceProcess service : services) {
      seconds.put(service.name() + "-service", ticks(service.pid()) / TICKS);
    }
    long kafka = Brokers.kafkaPid();
    if (kafka > 0) {
      seconds.put("Kafka", ticks(kafka) / TICKS);
    }
    double postgres = 0;
    double rabbit = 0;
    double redis = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        String command = command(process);
        long pid = Long.parseLong(process.getFileName().toString());
        if (command.equals("postgres")) {
          postgres += ticks(pid) / TICKS;
        } else if (command.equals("beam.smp")) {
          rabbit += ticks(pid) / TICKS;
        } else if (command.startsWith("redis-server")) {
          redis += ticks(pid) / TICKS;
        }
      }
    } catch (IOException e) {
      // no /proc: leave the brokers out
    }
    seconds.put("PostgreSQL", postgres);
    seconds.put("RabbitMQ", rabbit);
    seconds.put("Redis", redis);
    seconds.put(LOAD_GENERATOR, ticks(ProcessHandle.current().pid()) / TICKS);
    return seconds;
  }

  /**
   * CPU seconds so far of each thread of a process, by thread id with its name; from {@code
   * /proc/<pid>/task}, so the JIT compilers' and the garbage collector's threads, which a Java
   * profiler does not sample, are counted too.
   */
  static Map<Long, Map.Entry<String, Double>> threads(long pid) {
    Map<Long, Map.Entry<String, Double>> threads = new LinkedHashMap<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks) {
        threads.put(
            Long.parseLong(task.getFileName().toString()),
            Map.entry(command(task), ticks(task) / TICKS));
      }
    } catch (IOException e) {
      // the process is gone
    }
    return threads;
  }

  /**
   * CPU seconds each thread used between two snapshots, summed by name with the numbers taken out
   * so that a pool is one entry (Linux keeps 15 characters of a name; the C1 and C2 compilers' stay
   * apart). A thread that ended in between is missing from the second snapshot: what it used is the
   * difference between the process's total and these.
   */
  static Map<String, Double> byThread(
      Map<Long, Map.Entry<String, Double>> before, Map<Long, Map.Entry<String, Double>> after) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    after.forEach(
        (id, thread) -> {
          Map.Entry<String, Double> earlier = before.get(id);
          double used = thread.getValue() - (earlier == null ? 0 : earlier.getValue());
          seconds.merge(pool(thread.getKey()), used, Double::sum);
        });
    return seconds;
  }

  /** The threads of each JVM of the run (the services, Kafka, the benchmark JVM), by process. */
  static Map<String, Map<Long, Map.Entry<String, Double>>> jvmThreads(
      List<ServiceProcess> services) {
    Map<String, Map<Long, Map.Entry<String, Double>>> threads = new LinkedHashMap<>();
    for (ServiceProcess service : services) {
      threads.put(service.name() + "-service", threads(service.pid()));
    }
    long kafka = Brokers.kafkaPid();
    if (kafka > 0) {
      threads.put("Kafka", threads(kafka));
    }
    threads.put(LOAD_GENERATOR, threads(ProcessHandle.current().pid()));
    return threads;
  }

  /**
   * CPU seconds the JIT compiler threads (C1 and C2) of each JVM used between two {@link
   * #jvmThreads} snapshots: work a long-running process does once, not per order.
   */
  static Map<String, Double> compilersBetween(
      Map<String, Map<Long, Map.Entry<String, Double>>> before,
      Map<String, Map<Long, Map.Entry<String, Double>>> after) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    after.forEach(
        (process, threads) ->
            seconds.put(
                process,
                byThread(before.getOrDefault(process, Map.of()), threads).entrySet().stream()
                    .filter(thread -> isCompiler(thread.getKey()))
                    .mapToDouble(Map.Entry::getValue)
                    .sum()));
    return seconds;
  }

  private static boolean isCompiler(String name) {
    return name.startsWith("C1 ") || name.startsWith("C2 ");
  }

  private static String pool(String name) {
    return isCompiler(name) ? name : name.replaceAll("\\d+", "N");
  }

  /** CPU seconds so far of one process. */
  static double process(long pid) {
    return ticks(pid) / TICKS;
  }

  /** The difference of two snapshots. */
  static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> used = new LinkedHashMap<>();
    after.forEach((name, value) -> used.put(name, value - before.getOrDefault(name, 0.0)));
    return used;
  }

  private static String command(Path process) {
    try {
      return Files.readString(process.resolve("comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** utime + stime of a process, in clock ticks; 0 when it is gone. */
  private static long ticks(long pid) {
    return ticks(Path.of("/proc", String.valueOf(pid)));
  }

  /** utime + stime of a process or thread directory of {@code /proc}, in clock ticks. */
  private static long ticks(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      // The command name may hold spaces; the fields after it are space-separated.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
