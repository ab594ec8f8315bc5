package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What a service process holds: resident memory from the kernel, used heap from the service. */
final class ServiceMemory {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceMemory() {}

  /** Resident memory of the process in bytes, from {@code /proc/<pid>/status}. */
  static long residentBytes(ServiceProcess service) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(service.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return -1;
  }

  /**
   * Used heap in bytes, from the service's Prometheus endpoint (all heap pools summed); -1 when the
   * service does not answer within three tries of 20 s (as after an overload it may not).
   */
  static long heapUsedBytes(ServiceProcess service, String authorization)
      throws InterruptedException {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return heapUsedBytesOnce(service, authorization);
      } catch (IOException e) {
        // busy: try again
      }
    }
    return -1;
  }

  private static long heapUsedBytesOnce(ServiceProcess service, String authorization)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(service.uri("/actuator/prometheus"))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return (long)
        response
            .body()
            .lines()
            .filter(line -> line.startsWith("jvm_memory_used_bytes{"))
            .filter(line -> line.contains("area=\"heap\""))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
  }
}
