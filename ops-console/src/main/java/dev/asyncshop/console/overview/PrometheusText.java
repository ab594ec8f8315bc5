package dev.asyncshop.console.overview;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The samples of a Prometheus text exposition, summed by metric name over their labels: the
 * overview shows one figure per service, not one per queue. A sample the service could not measure
 * ({@code NaN}) is left out of the sum; a metric whose every sample is {@code NaN} has none.
 */
final class PrometheusText {

  private final Map<String, Double> sums = new HashMap<>();

  private PrometheusText() {}

  static PrometheusText parse(String exposition) {
    PrometheusText text = new PrometheusText();
    for (String line : exposition.split("\n")) {
      String sample = line.strip();
      if (sample.isEmpty() || sample.startsWith("#")) {
        continue;
      }
      text.add(sample);
    }
    return text;
  }

  /** The sum of the metric's samples, if it has any the service could measure. */
  OptionalDouble sum(String metric) {
    Double sum = sums.get(metric);
    return sum == null ? OptionalDouble.empty() : OptionalDouble.of(sum);
  }

  private void add(String sample) {
    int nameEnd = 0;
    while (nameEnd < sample.length()
        && sample.charAt(nameEnd) != '{'
        && !Character.isWhitespace(sample.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = sample.substring(0, nameEnd);
    int valueStart = nameEnd;
    if (valueStart < sample.length() && sample.charAt(valueStart) == '{') {
      valueStart = labelsEnd(sample, valueStart) + 1;
    }
    String[] rest = sample.substring(Math.min(valueStart, sample.length())).strip().split("\\s+");
    if (name.isEmpty() || rest.length == 0 || rest[0].isEmpty()) {
      return;
    }
    double value;
    try {
      value = Double.parseDouble(rest[0]);
    } catch (NumberFormatException e) {
      return;
    }
    if (!Double.isNaN(value)) {
      sums.merge(name, value, Double::sum);
    }
  }

  /** Where the label set closes: label values are quoted and may hold braces or escaped quotes. */
  private static int labelsEnd(String sample, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < sample.length(); i++) {
      char c = sample.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '}') {
        return i;
      }
    }
    return sample.length();
  }
}
