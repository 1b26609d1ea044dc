package org.mixbt.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.checkpoint.CheckpointStore;

/**
 * The training checkpoint an export reads: {@code --checkpoint} names an epoch folder ({@code epoch-NNNN/} with
 * {@code model.zip}, {@code config.conf}, {@code metrics.jsonl}) or a run folder, of which the newest complete
 * epoch folder is taken (the one a resume would take; {@code LATEST} is checked against it). Everything is read and checked
 * here, on any Hadoop file system, before an output is written; a problem is a {@link CheckpointException}
 * naming the file.
 */
final class ExportSource {
  static final String LATEST = "LATEST";
  private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportSource.class);

  final Path epochFolder;
  /** How the epoch folder was chosen: "given", "LATEST" (newest complete, as LATEST says) or "newest complete epoch folder". */
  final String selectedBy;
  final int epoch;
  final JobSettings settings;
  /** The last line of metrics.jsonl: this epoch's metrics. */
  final ObjectNode metrics;
  /** Training steps of every epoch up to this one (the sum of the metrics lines' "steps"). */
  final long steps;
  final ComputationGraph network;

  private ExportSource(Path epochFolder, String selectedBy, int epoch, JobSettings settings, ObjectNode metrics,
      long steps, ComputationGraph network) {
    this.epochFolder = epochFolder;
    this.selectedBy = selectedBy;
    this.epoch = epoch;
    this.settings = settings;
    this.metrics = metrics;
    this.steps = steps;
    this.network = network;
  }

  static ExportSource open(String checkpoint, Configuration hadoop) {
    Path given = new Path(checkpoint);
    try {
      FileSystem fs = given.getFileSystem(hadoop);
      given = fs.makeQualified(given);
      if (!fs.exists(given)) {
        throw new CheckpointException("Cannot export checkpoint " + given + ": no such folder");
      }
      if (!fs.getFileStatus(given).isDirectory()) {
        throw new CheckpointException("Cannot export checkpoint " + given + ": not a folder (give a run folder or"
            + " an epoch-NNNN folder)");
      }
      if (fs.exists(new Path(given, CheckpointStore.MODEL)) || EPOCH.matcher(given.getName()).matches()) {
        return read(fs, given, "given");
      }
      Path chosen = newestComplete(fs, given);
      return read(fs, chosen, latestAgrees(fs, given, chosen) ? LATEST : "newest complete epoch folder");
    } catch (IOException e) {
      throw new CheckpointException("Cannot export checkpoint " + given + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest epoch folder holding every file an export reads, as a resume picks it: a folder without them is
   * one whose writer died before the rename, or one damaged since; it is skipped with a warning.
   */
  private static Path newestComplete(FileSystem fs, Path run) throws IOException {
    Path[] epochs = Arrays.stream(fs.listStatus(run, p -> EPOCH.matcher(p.getName()).matches()))
        .filter(FileStatus::isDirectory).map(FileStatus::getPath)
        .sorted((a, b) -> Long.compare(epochOf(b), epochOf(a))).toArray(Path[]::new);
    if (epochs.length == 0) {
      throw new CheckpointException("Cannot export checkpoint " + run + ": no checkpoint there (no "
          + CheckpointStore.MODEL + ", no epoch-NNNN folder)");
    }
    for (Path epoch : epochs) {
      String missing = missingFile(fs, epoch);
      if (missing == null) {
        return epoch;
      }
      LOG.warn("Skipping incomplete checkpoint {}: {}", epoch, missing);
    }
    throw new CheckpointException("Cannot export checkpoint " + run + ": no complete epoch folder; the newest, "
        + epochs[0] + ", lacks " + missingFile(fs, epochs[0]));
  }

  /** The first file an export needs that {@code folder} lacks (model.zip must not be empty), or null. */
  private static String missingFile(FileSystem fs, Path folder) throws IOException {
    for (String name : List.of(CheckpointStore.MODEL, CheckpointStore.CONFIG, CheckpointStore.METRICS)) {
      Path file = new Path(folder, name);
      if (!fs.isFile(file) || fs.getFileStatus(file).getLen() == 0) {
        return name;
      }
    }
    return null;
  }

  /**
   * Whether the run's {@code LATEST} pointer (a folder name, as CheckpointStore writes it) names {@code chosen}.
   * It is advisory, as for a resume: missing, unreadable or stale (a crash between an epoch folder's rename and
   * the pointer's), it costs a warning, never a committed epoch.
   */
  private static boolean latestAgrees(FileSystem fs, Path run, Path chosen) {
    Path latest = new Path(run, LATEST);
    String named;
    try {
      if (!fs.isFile(latest)) {
        return false;
      }
      named = readText(fs, latest).strip();
    } catch (IOException e) {
      LOG.warn("Cannot read {}: {}: exporting the newest complete checkpoint {}", latest, e.getMessage(),
          chosen.getName());
      return false;
    }
    named = named.substring(named.lastIndexOf('/') + 1);
    if (named.equals(chosen.getName())) {
      return true;
    }
    LOG.warn("{} names \"{}\", not the newest complete checkpoint: exporting {}", latest, named, chosen.getName());
    return false;
  }

  private static long epochOf(Path folder) {
    Matcher m = EPOCH.matcher(folder.getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static ExportSource read(FileSystem fs, Path folder, String selectedBy) throws IOException {
    Path model = require(fs, folder, CheckpointStore.MODEL);
    Path config = require(fs, folder, CheckpointStore.CONFIG);
    Path metricsFile = require(fs, folder, CheckpointStore.METRICS);
    JobSettings settings;
    try {
      // The stored configuration is resolved HOCON under "mixbt": one override layer over reference.conf.
      settings = JobSettings.load(null, List.of(readText(fs, config)));
    } catch (IllegalArgumentException e) {
      // ConfigException is one; a value no reader anticipated surfaces as a plain IllegalArgumentException.
      throw new CheckpointException("Cannot export checkpoint: cannot read " + config + ": " + e.getMessage(), e);
    }
    List<String> lines = readText(fs, metricsFile).lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new CheckpointException("Cannot export checkpoint: " + metricsFile + " has no metrics line");
    }
    long steps = 0;
    ObjectNode last = null;
    for (int i = 0; i < lines.size(); i++) {
      last = metricsLine(metricsFile, i + 1, lines.get(i));
      steps += last.path("steps").asLong(0);
    }
    long epoch = epochOf(folder);
    int number = epoch >= 0 ? Math.toIntExact(epoch) : last.path("epoch").asInt(0);
    return new ExportSource(folder, selectedBy, number, settings, last, steps, loadModel(fs, model));
  }

  private static ObjectNode metricsLine(Path file, int number, String line) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // Reported below with the line number.
    }
    throw new CheckpointException("Cannot export checkpoint: " + file + " line " + number + " is not a JSON object: "
        + (line.length() > 80 ? line.substring(0, 80) + "…" : line));
  }

  private static ComputationGraph loadModel(FileSystem fs, Path model) {
    try (InputStream in = fs.open(model)) {
      // The updater state is training state only; the export never needs it.
      return ModelSerializer.restoreComputationGraph(in, false);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new CheckpointException("Cannot export checkpoint: cannot load " + model + ": " + why, e);
    }
  }

  private static Path require(FileSystem fs, Path folder, String name) throws IOException {
    Path file = new Path(folder, name);
    if (!fs.exists(file)) {
      throw new CheckpointException("Cannot export checkpoint " + folder + ": " + name + " is missing: " + file);
    }
    return file;
  }

  private static String readText(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The run folder: the epoch folder's parent. */
  Path runFolder() {
    return epochFolder.getParent();
  }
}
