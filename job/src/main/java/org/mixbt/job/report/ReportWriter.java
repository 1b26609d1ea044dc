package org.mixbt.job.report;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code <run folder>/report/} (the PNG plots and {@code report.html}) from the newest checkpoint's
 * {@code metrics.jsonl} and {@code config.conf}, on any Hadoop file system: drawn into a local temporary
 * folder, copied to {@code <run>/._tmp-report-<uuid>}, then renamed over the previous report, so a reader
 * never sees half a report.
 */
public final class ReportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
  public static final String FOLDER = "report";
  public static final String HTML = "report.html";

  private ReportWriter() {
  }

  /** What was written: the report folder and the charts it holds. */
  public record Written(Path folder, List<String> charts, int epochs) {
  }

  /**
   * Writes the report of {@code runDir} (a run folder, or one checkpoint folder holding metrics.jsonl).
   *
   * @throws FileNotFoundException when there is no metrics file to report on
   * @throws MetricsFormatException when a metrics line is malformed (naming file and line)
   */
  public static Written write(Path runDir, Configuration hadoop) throws IOException {
    FileSystem fs = runDir.getFileSystem(hadoop);
    Path run = fs.makeQualified(runDir);
    Path checkpoint = newestMetricsFolder(fs, run);
    Path metricsFile = new Path(checkpoint, CheckpointStore.METRICS);
    MetricsLog log = MetricsLog.parse(metricsFile.toString(), read(fs, metricsFile));
    Path configFile = new Path(checkpoint, CheckpointStore.CONFIG);
    String config = fs.exists(configFile) ? read(fs, configFile) : null;
    List<ReportCharts.Chart> charts = ReportCharts.of(log);
    java.nio.file.Path local = Files.createTempDirectory("mixbt-report");
    try {
      for (ReportCharts.Chart c : charts) {
        Files.write(local.resolve(c.file()), ReportCharts.png(c));
      }
      Files.writeString(local.resolve(HTML), ReportHtml.render(run.getName(), log, charts, config));
      Path target = commit(fs, local, run);
      return new Written(target, charts.stream().map(ReportCharts.Chart::file).toList(), log.size());
    } finally {
      deleteLocal(local);
    }
  }

  /** The end of a run: the report, or a warning; plotting never fails a run that trained. */
  public static void writeAfterRun(Path runDir, Configuration hadoop) {
    try {
      Written w = write(runDir, hadoop);
      LOG.info("Report: {} ({} charts)", new Path(w.folder(), HTML), w.charts().size());
    } catch (IOException | RuntimeException | LinkageError e) {
      LOG.warn("Cannot write the report of {}: {} (rebuild it with deploy/mixbt report --run {})", runDir,
          e.toString(), runDir);
    }
  }

  /** The folder whose metrics.jsonl to read: the given one, else LATEST's target, else the newest epoch-*. */
  static Path newestMetricsFolder(FileSystem fs, Path run) throws IOException {
    if (fs.isFile(new Path(run, CheckpointStore.METRICS))) {
      return run;
    }
    Path latest = new Path(run, "LATEST");
    if (fs.isFile(latest)) {
      Path named = new Path(run, read(fs, latest).strip());
      if (fs.isFile(new Path(named, CheckpointStore.METRICS))) {
        return named;
      }
    }
    FileStatus[] epochs = fs.exists(run) ? fs.listStatus(run, p -> p.getName().startsWith("epoch-")) : new FileStatus[0];
    return Arrays.stream(epochs).filter(FileStatus::isDirectory).map(FileStatus::getPath)
        .filter(p -> exists(fs, new Path(p, CheckpointStore.METRICS)))
        .max(Comparator.comparing(Path::getName))
        .orElseThrow(() -> new FileNotFoundException("Cannot write report: no " + CheckpointStore.METRICS + " in "
            + run + " or its epoch-NNNN checkpoint folders"));
  }

  private static Path commit(FileSystem fs, java.nio.file.Path local, Path run) throws IOException {
    Path temp = new Path(run, "._tmp-" + FOLDER + "-" + UUID.randomUUID());
    Path target = new Path(run, FOLDER);
    try {
      fs.mkdirs(temp);
      try (Stream<java.nio.file.Path> files = Files.list(local)) {
        for (java.nio.file.Path f : files.toList()) {
          fs.copyFromLocalFile(false, true, new Path(f.toUri()), new Path(temp, f.getFileName().toString()));
        }
      }
      if (fs.exists(target)) {
        fs.delete(target, true);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("rename of " + temp + " to " + target + " refused");
      }
      return target;
    } catch (IOException | RuntimeException e) {
      fs.delete(temp, true);
      throw new IOException("Cannot write report " + target + ": " + e.getMessage(), e);
    }
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean exists(FileSystem fs, Path p) {
    try {
      return fs.isFile(p);
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteLocal(java.nio.file.Path dir) throws IOException {
    try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
      for (java.nio.file.Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
