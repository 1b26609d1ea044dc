package org.mixbt.job.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report from a metrics.jsonl written by a real pretraining run (PretrainingIT's run: 2 epochs of 20
 * steps on Fashion-MNIST, kNN after the last; resource report/metrics.jsonl) and from hand-made lines with
 * fields missing or extra, as later helpers add them.
 */
class ReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void realRunMetricsGiveDecodablePlotsAndAnHtmlWithTheTableAndConfig() throws Exception {
    Path run = tmp.resolve("fashion-mnist-run");
    String metrics = resource("metrics.jsonl");
    writeCheckpoint(run.resolve("epoch-0002"), metrics, "mixbt {\n  seed = 0\n  run-id = \"it\" # <run>\n}\n");
    // An older checkpoint (fewer lines) that the report must not pick.
    writeCheckpoint(run.resolve("epoch-0001"), metrics.lines().findFirst().orElseThrow() + "\n", null);

    ReportWriter.Written w = ReportWriter.write(new org.apache.hadoop.fs.Path(run.toString()), new Configuration());

    assertEquals(2, w.epochs());
    assertEquals(List.of("loss.png", "loss-steps.png", "knn.png", "lr.png"), w.charts());
    Path report = run.resolve("report");
    for (String png : w.charts()) {
      assertReadablePng(report.resolve(png));
    }
    String html = Files.readString(report.resolve("report.html"));
    List<JsonNode> lines = metrics.lines().map(ReportWriterTest::json).toList();
    for (String png : w.charts()) {
      assertTrue(html.contains("<img src=\"" + png + "\""), png);
    }
    // Every scalar field is a column; integer values appear as written, e.g. the step counts and epochs.
    for (String field : List.of("epoch", "steps", "loss_bt", "loss_mix", "loss", "lr", "seconds", "wall_s",
        "workers", "images_per_s", "images_per_s_per_worker", "knn_top1", "knn_top5", "first_step")) {
      assertTrue(html.contains("<th>" + field + "</th>"), field);
    }
    assertFalse(html.contains("<th>step_loss_bt</th>"), "per-step arrays are plotted, not tabled");
    assertTrue(html.contains("<tr><td>2</td><td>" + lines.get(1).get("steps").asInt() + "</td>"), html);
    assertTrue(html.contains("<td>" + lines.get(1).get("first_step").asInt() + "</td>"));
    // Other numbers to 6 significant digits: this file's epoch-1 loss_bt 50.199298012474046, epoch-2 kNN.
    assertTrue(html.contains("<tr><td>1</td><td>20</td><td>0</td><td>50.1993</td><td>3.82136</td>"), html);
    assertTrue(html.contains("<td>31.88</td><td>79.49</td></tr>"), html);
    // The run's configuration, escaped.
    assertTrue(html.contains("run-id = &quot;it&quot; # &lt;run&gt;"), html);
    try (Stream<Path> left = Files.list(run)) {
      // Committed by rename: no temporary folder left beside it.
      assertEquals(Set.of("epoch-0001", "epoch-0002", "report"),
          Set.copyOf(left.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void perStepSeriesFollowsTheGlobalStepAcrossEpochs() throws Exception {
    MetricsLog log = MetricsLog.parse("m", resource("metrics.jsonl"));
    MetricsLog.Series bt = log.perStep("step_loss_bt");
    assertEquals(40, bt.x().length);
    for (int i = 0; i < 40; i++) {
      assertEquals(i, bt.x()[i], 0);
    }
    // The epoch's mean equals the mean of its steps (EpochMetrics averages the same numbers).
    JsonNode first = json(resource("metrics.jsonl").lines().findFirst().orElseThrow());
    double mean = java.util.Arrays.stream(bt.y(), 0, 20).average().orElseThrow();
    assertEquals(first.get("loss_bt").asDouble(), mean, 1e-9 * mean);
  }

  @Test
  void missingFieldsAreSkippedAndNewFieldsFindTheirChart() throws Exception {
    Path run = tmp.resolve("partial");
    writeCheckpoint(run.resolve("epoch-0002"), """
        {"epoch":1,"loss_bt":800.5,"loss_mix":120.25,"emb_std_view1":0.031}
        {"epoch":2,"loss_bt":767.012345,"knn_top1":65.6,"knn_top5":97.25,"emb_std_view1":0.029,"emb_std_view2":0.03,"effective_rank":12.5}
        """, null);
    ReportWriter.Written w = ReportWriter.write(new org.apache.hadoop.fs.Path(run.toString()), new Configuration());
    assertEquals(List.of("loss.png", "knn.png", "embedding-std.png", "embedding-stats.png"), w.charts());

    MetricsLog log = MetricsLog.parse("m", Files.readString(run.resolve("epoch-0002/metrics.jsonl")));
    List<ReportCharts.Chart> charts = ReportCharts.of(log);
    assertEquals(List.of("loss_bt", "loss_mix"), charts.get(0).series().stream().map(MetricsLog.Series::name).toList());
    assertArrayEquals(new double[] {1}, charts.get(0).series().get(1).x());
    assertArrayEquals(new double[] {120.25}, charts.get(0).series().get(1).y());
    assertArrayEquals(new double[] {2}, charts.get(1).series().get(0).x());
    assertEquals(List.of("emb_std_view1", "emb_std_view2"),
        charts.get(2).series().stream().map(MetricsLog.Series::name).toList());
    assertEquals(List.of("effective_rank"), charts.get(3).series().stream().map(MetricsLog.Series::name).toList());

    String html = Files.readString(run.resolve("report/report.html"));
    assertTrue(html.contains("<tr><th>epoch</th><th>loss_bt</th><th>loss_mix</th><th>emb_std_view1</th>"
        + "<th>knn_top1</th><th>knn_top5</th><th>emb_std_view2</th><th>effective_rank</th></tr>"), html);
    assertTrue(html.contains("<tr><td>1</td><td>800.5</td><td>120.25</td><td>0.031</td><td></td><td></td>"
        + "<td></td><td></td></tr>"), html);
    assertTrue(html.contains("<tr><td>2</td><td>767.012</td><td></td><td>0.029</td><td>65.6</td><td>97.25</td>"
        + "<td>0.03</td><td>12.5</td></tr>"), html);
    for (String png : w.charts()) {
      assertReadablePng(run.resolve("report").resolve(png));
    }
  }

  @Test
  void aMalformedLineIsOneErrorNamingFileAndLine() throws Exception {
    Path run = tmp.resolve("bad");
    writeCheckpoint(run.resolve("epoch-0001"), "{\"epoch\":1,\"loss_bt\":3.5}\n{\"epoch\":2,\"loss_bt\":\n", null);
    String file = "file:" + run.resolve("epoch-0001/metrics.jsonl");
    MetricsFormatException e = assertThrows(MetricsFormatException.class,
        () -> ReportWriter.write(new org.apache.hadoop.fs.Path(run.toString()), new Configuration()));
    assertTrue(e.getMessage().startsWith("Cannot read metrics " + file + ": line 2 is not JSON: "), e.getMessage());
    assertEquals("Cannot read metrics f: line 3 is not a JSON object: [1, 2]",
        assertThrows(MetricsFormatException.class, () -> MetricsLog.parse("f", "{}\n\n[1, 2]\n")).getMessage());
    assertEquals("Cannot read metrics f: no epoch lines",
        assertThrows(MetricsFormatException.class, () -> MetricsLog.parse("f", "\n")).getMessage());
    assertFalse(Files.exists(run.resolve("report")));

    // The command: exit 3 with that one line, no stack trace.
    Cli cli = cli("--run", run.toString());
    assertEquals(3, cli.exit());
    assertTrue(cli.err().startsWith("Error: Cannot read metrics " + file + ": line 2 is not JSON: "), cli.err());
    assertEquals(1, cli.err().lines().count(), cli.err());
  }

  @Test
  void theCommandWritesTheReportAndRefusesMissingMetricsAndBadArguments() throws Exception {
    Path run = tmp.resolve("cli");
    writeCheckpoint(run.resolve("epoch-0003"), "{\"epoch\":3,\"loss_bt\":1.5,\"loss_mix\":0.5,\"loss\":2.0}\n", null);
    Cli ok = cli("--run", run.toString());
    assertEquals(0, ok.exit(), ok.err());
    assertEquals("report: file:" + run.resolve("report/report.html") + " (1 epochs; loss.png)\n", ok.out());
    // Rebuilding replaces the old report as a whole.
    Files.writeString(run.resolve("report/stale.png"), "x");
    assertEquals(0, cli("--run", run.toString()).exit());
    assertFalse(Files.exists(run.resolve("report/stale.png")));

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Cli none = cli("--run", empty.toString());
    assertEquals(3, none.exit());
    assertEquals("Error: Cannot write report: no metrics.jsonl in file:" + empty
        + " or its epoch-NNNN checkpoint folders\n", none.err());
    assertEquals(2, cli().exit());
    assertEquals(2, cli("--run").exit());
    assertEquals(2, cli("--rnu", "x").exit());
    assertEquals(0, cli("--help").exit());
  }

  @Test
  void theLatestPointerChoosesTheCheckpoint() throws Exception {
    Path run = tmp.resolve("latest");
    writeCheckpoint(run.resolve("epoch-0001"), "{\"epoch\":1,\"loss_bt\":1.5}\n", null);
    writeCheckpoint(run.resolve("epoch-0002"), "{\"epoch\":1,\"loss_bt\":1.5}\n{\"epoch\":2,\"loss_bt\":1.25}\n", null);
    assertEquals(2, ReportWriter.write(new org.apache.hadoop.fs.Path(run.toString()), new Configuration()).epochs());
    Files.writeString(run.resolve("LATEST"), "epoch-0001\n");
    assertEquals(1, ReportWriter.write(new org.apache.hadoop.fs.Path(run.toString()), new Configuration()).epochs());
  }

  /** Decodes the file as PNG: the chart's size, and more than a blank canvas (lines, text, antialiasing). */
  static void assertReadablePng(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4), png.toString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(ReportCharts.WIDTH, image.getWidth(), png.toString());
    assertEquals(ReportCharts.HEIGHT, image.getHeight(), png.toString());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 20, png + " has " + colours.size() + " colours");
  }

  private record Cli(int exit, String out, String err) {
  }

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ReportJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void writeCheckpoint(Path folder, String metrics, String config) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("metrics.jsonl"), metrics);
    if (config != null) {
      Files.writeString(folder.resolve("config.conf"), config);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ReportWriterTest.class.getResourceAsStream("/report/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
