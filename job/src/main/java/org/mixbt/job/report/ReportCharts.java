package org.mixbt.job.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, chosen by field name so that any field the metrics carry lands in its chart and a
 * chart whose fields are all missing is left out: loss terms per epoch and per step, kNN accuracy, embedding
 * std (fields with a {@code std} name part) and the other embedding statistics ({@code diag}, {@code rank},
 * {@code corr}, {@code cov} parts), learning rates.
 */
public final class ReportCharts {
  public static final int WIDTH = 800;
  public static final int HEIGHT = 450;

  /** One chart: its file name, title, axis titles and series (only non-empty ones are kept). */
  public record Chart(String file, String title, String xTitle, String yTitle, List<MetricsLog.Series> series) {
  }

  static {
    // Charts are drawn off-screen; a driver without a display must not try to open one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ReportCharts() {
  }

  /** The charts that have data, in report order. */
  public static List<Chart> of(MetricsLog log) {
    List<Chart> charts = new ArrayList<>();
    add(charts, new Chart("loss.png", "Loss terms per epoch (mean over steps)", "epoch", "loss",
        perEpoch(log, f -> f.equals("loss_bt") || f.equals("loss_mix") || f.equals("loss"))));
    add(charts, new Chart("loss-steps.png", "Loss terms per step", "global step", "loss",
        List.of(log.perStep("step_loss_bt"), log.perStep("step_loss_mix"))));
    add(charts, new Chart("knn.png", "kNN accuracy", "epoch", "%",
        perEpoch(log, f -> f.startsWith("knn_") && f.contains("top"))));
    add(charts, new Chart("embedding-std.png", "Embedding std per epoch", "epoch", "std",
        perEpoch(log, f -> embedding(f) && parts(f).contains("std"))));
    add(charts, new Chart("embedding-stats.png", "Embedding statistics per epoch", "epoch", "value",
        perEpoch(log, f -> embedding(f) && !parts(f).contains("std") && parts(f).stream().anyMatch(
            p -> p.contains("diag") || p.contains("rank") || p.contains("corr") || p.contains("cov")))));
    add(charts, new Chart("lr.png", "Learning rate at the epoch's last step", "epoch", "rate",
        perEpoch(log, f -> f.equals("lr") || f.startsWith("lr_"))));
    return charts;
  }

  /** The chart drawn as PNG bytes. */
  public static byte[] png(Chart chart) throws IOException {
    BufferedImage image = BitmapEncoder.getBufferedImage(draw(chart));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("Cannot draw chart " + chart.file() + ": no PNG writer");
    }
    return out.toByteArray();
  }

  private static XYChart draw(Chart chart) {
    XYChart xy = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(chart.title()).xAxisTitle(chart.xTitle())
        .yAxisTitle(chart.yTitle()).build();
    XYStyler styler = xy.getStyler();
    // Below the plot: inside it the legend would hide curves near the top (top-5 accuracy, early losses).
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setDecimalPattern("#,##0.####");
    if (chart.yTitle().equals("%")) {
      // Accuracies on their whole scale: a single epoch's point is then still read at a glance.
      styler.setYAxisMin(0.0);
      styler.setYAxisMax(100.0);
    }
    int longest = chart.series().stream().mapToInt(s -> s.x().length).max().orElse(0);
    for (MetricsLog.Series s : chart.series()) {
      XYSeries line = xy.addSeries(s.name(), s.x(), s.y());
      // Markers make single points visible; on per-step curves they would only blur the line.
      line.setMarker(longest > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
    return xy;
  }

  private static List<MetricsLog.Series> perEpoch(MetricsLog log, Predicate<String> fields) {
    return log.numericFields(fields).stream().map(log::perEpoch).toList();
  }

  private static void add(List<Chart> charts, Chart chart) {
    List<MetricsLog.Series> kept = chart.series().stream().filter(s -> !s.isEmpty()).toList();
    if (!kept.isEmpty()) {
      charts.add(new Chart(chart.file(), chart.title(), chart.xTitle(), chart.yTitle(), kept));
    }
  }

  /** Embedding statistics: not a loss, kNN, rate, time or throughput field. */
  private static boolean embedding(String field) {
    return !(field.startsWith("loss") || field.startsWith("knn") || field.startsWith("lr")
        || field.startsWith("images_per_s") || field.equals("seconds") || field.equals("wall_s"));
  }

  private static List<String> parts(String field) {
    return Arrays.asList(field.toLowerCase().split("[_.\\-]"));
  }
}
