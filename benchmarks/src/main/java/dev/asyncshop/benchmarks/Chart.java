package dev.asyncshop.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The latency chart of the report as SVG: POST-to-SHIPPED p50, p95 and p99 against the open-loop
 * arrival rate, on a logarithmic latency axis (overload makes p99 grow by orders of magnitude),
 * with the p99 target as a dashed line.
 */
final class Chart {

  private static final int WIDTH = 760;
  private static final int HEIGHT = 440;
  private static final int LEFT = 80;
  private static final int RIGHT = 150;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final double[] TICKS = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000
  };

  private Chart() {}

  static String latencyAgainstRate(List<SagaBenchmark.OpenLoop> runs, double targetMs) {
    double min = targetMs;
    double max = targetMs;
    for (SagaBenchmark.OpenLoop run : runs) {
      for (double value : values(run)) {
        if (!Double.isNaN(value) && value > 0) {
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
      }
    }
    // One tick of room below the lowest value, so the target line never lies on the axis.
    double low = floorTick(floorTick(min) * 0.99);
    double high = ceilTick(max);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(
        format(
            "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">Order saga:"
                + " POST to SHIPPED latency against arrival rate (open loop)</text>%n",
            LEFT));
    // Latency axis, logarithmic.
    for (double tick : TICKS) {
      if (tick < low || tick > high) {
        continue;
      }
      double y = y(tick, low, high, plotHeight);
      svg.append(
          format(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>%n",
              LEFT, y, LEFT + plotWidth, y));
      svg.append(
          format(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT - 8,
              y + 4,
              tick >= 1000 ? format("%.0f s", tick / 1000) : format("%.0f ms", tick)));
    }
    svg.append(
        format(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            LEFT, TOP, LEFT, TOP + plotHeight));
    svg.append(
        format(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight));
    svg.append(
        format(
            "<text x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" text-anchor=\"middle\">"
                + "latency (log scale)</text>%n",
            TOP + plotHeight / 2, TOP + plotHeight / 2));
    // Rate axis: one evenly spaced position per measured rate.
    for (int i = 0; i < runs.size(); i++) {
      double x = x(i, runs.size(), plotWidth);
      svg.append(
          format(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d/s</text>%n",
              x, TOP + plotHeight + 20, runs.get(i).rate()));
    }
    svg.append(
        format(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">arrival rate (orders per"
                + " second)</text>%n",
            LEFT + plotWidth / 2, HEIGHT - 14));
    // Target.
    double targetY = y(targetMs, low, high, plotHeight);
    svg.append(
        format(
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c62828\""
                + " stroke-dasharray=\"6 4\"/>%n",
            LEFT, targetY, LEFT + plotWidth, targetY));
    svg.append(
        format(
            "<text x=\"%d\" y=\"%.1f\" fill=\"#c62828\">target p99<tspan x=\"%d\""
                + " dy=\"14\">at 100/s: %.0f ms</tspan></text>%n",
            LEFT + plotWidth + 8, targetY, LEFT + plotWidth + 8, targetMs));
    String[] names = {"p50", "p95", "p99"};
    String[] colours = {"#1565c0", "#ef6c00", "#6a1b9a"};
    for (int series = 0; series < 3; series++) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < runs.size(); i++) {
        double value = values(runs.get(i))[series];
        if (Double.isNaN(value) || value <= 0) {
          continue;
        }
        double x = x(i, runs.size(), plotWidth);
        double y = y(value, low, high, plotHeight);
        points.append(format("%.1f,%.1f ", x, y));
        svg.append(
            format(
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, colours[series]));
        if (series != 1) {
          // p50 labelled below its point, p99 above; p95 lies between them, unlabelled.
          svg.append(
              format(
                  "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"11\">%s</text>%n",
                  x + 7,
                  series == 0 ? y + 15 : y - 7,
                  colours[series],
                  value >= 1000 ? format("%.1f s", value / 1000) : format("%.0f ms", value)));
        }
      }
      svg.append(
          format(
              "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              points.toString().trim(), colours[series]));
      int legendY = TOP + 20 + series * 20;
      svg.append(
          format(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              LEFT + plotWidth + 8, legendY, LEFT + plotWidth + 30, legendY, colours[series]));
      svg.append(
          format(
              "<text x=\"%d\" y=\"%d\">%s</text>%n",
              LEFT + plotWidth + 36, legendY + 4, names[series]));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double[] values(SagaBenchmark.OpenLoop run) {
    return new double[] {run.latency().p50(), run.latency().p95(), run.latency().p99()};
  }

  private static double x(int index, int count, int plotWidth) {
    return LEFT + plotWidth * (index + 0.5) / count;
  }

  private static double y(double value, double low, double high, int plotHeight) {
    double position = (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    return TOP + plotHeight * (1 - position);
  }

  private static double floorTick(double value) {
    double result = TICKS[0];
    for (double tick : TICKS) {
      if (tick <= value) {
        result = tick;
      }
    }
    return result;
  }

  private static double ceilTick(double value) {
    for (double tick : TICKS) {
      if (tick >= value) {
        return tick;
      }
    }
    return TICKS[TICKS.length - 1];
  }

  private static String format(String pattern, Object... arguments) {
    return String.format(Locale.ROOT, pattern, arguments);
  }
}
