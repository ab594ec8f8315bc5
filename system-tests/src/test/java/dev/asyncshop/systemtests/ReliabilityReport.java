package dev.asyncshop.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chaos tests' findings as a Markdown table, one row per fault: written to {@code
 * target/system-tests/chaos/reliability.md}, and to the file named by {@code
 * -Dasyncshop.chaos.report} (such as {@code ../docs/reliability.md}) when given.
 */
final class ReliabilityReport {

  static final String REPORT_PROPERTY = "asyncshop.chaos.report";

  /**
   * One fault's figures.
   *
   * @param fault what was done
   * @param outage how long the broker or process was away
   * @param acceptedDuring orders accepted while it was away
   * @param refusedDuring orders refused while it was away, by answer
   * @param endStates the end states of the orders placed in its phase
   * @param recovery from the fault's end until every order accepted by then had ended
   */
  record Row(
      String fault,
      Duration outage,
      long acceptedDuring,
      Map<String, Long> refusedDuring,
      Map<String, Long> endStates,
      Duration recovery) {}

  private final List<Row> rows = new ArrayList<>();
  private final String setting;

  /**
   * @param setting the load and layout, for the report's first line
   */
  ReliabilityReport(String setting) {
    this.setting = setting;
  }

  synchronized void add(Row row) {
    rows.add(row);
  }

  synchronized void write(Path workDirectory) {
    String markdown = markdown();
    try {
      Files.createDirectories(workDirectory);
      Files.writeString(workDirectory.resolve("reliability.md"), markdown);
      String wanted = System.getProperty(REPORT_PROPERTY, "");
      if (!wanted.isBlank()) {
        Files.writeString(Path.of(wanted), markdown);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Reliability under faults\n\n");
    out.append(
        "Written by the chaos tests (`system-tests`, `ChaosTests`); run them with the command in"
            + " README's \"Failure and recovery\". ");
    out.append("This run: ").append(LocalDate.now(ZoneOffset.UTC)).append(", ").append(setting);
    out.append(".\n\n");
    out.append(
        "| Fault | Away | Accepted while away | Refused while away | End states of the phase's"
            + " orders | Recovered after |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      out.append("| ")
          .append(row.fault())
          .append(" | ")
          .append(seconds(row.outage()))
          .append(" | ")
          .append(row.acceptedDuring())
          .append(" | ")
          .append(counts(row.refusedDuring()))
          .append(" | ")
          .append(counts(row.endStates()))
          .append(" | ")
          .append(seconds(row.recovery()))
          .append(" |\n");
    }
    out.append(
        "\n*Away*: from the fault until the broker answered again or the killed instance was ready."
            + " *Refused*: by HTTP status, or the client's failure when no answer came."
            + " *Recovered after*: from the end of the fault until every order accepted by then had"
            + " reached its end state.\n");
    return out.toString();
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "0";
    }
    StringBuilder out = new StringBuilder();
    new TreeMap<>(counts)
        .forEach(
            (name, count) ->
                out.append(out.isEmpty() ? "" : ", ").append(count).append(' ').append(name));
    return out.toString();
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
