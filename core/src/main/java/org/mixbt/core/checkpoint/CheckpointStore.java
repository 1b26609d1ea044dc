package org.mixbt.core.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The checkpoints of one run, {@code <root>/<run-id>/epoch-NNNN/} holding {@code model.zip} (the DL4J
 * network with its updater state, so a run can resume), {@code config.conf} (the resolved configuration)
 * and {@code metrics.jsonl} (one JSON line per epoch so far). An epoch folder is written under a
 * temporary name and renamed when complete, so a crash never leaves a half-written checkpoint where a
 * reader would take it; only the newest {@code keep} epochs are kept. Works on any Hadoop FileSystem.
 */
public final class CheckpointStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointStore.class);
  public static final String MODEL = "model.zip";
  public static final String CONFIG = "config.conf";
  public static final String METRICS = "metrics.jsonl";
  private static final String EPOCH_PREFIX = "epoch-";

  private final FileSystem fs;
  private final Path runDir;
  private final int keep;

  private CheckpointStore(FileSystem fs, Path runDir, int keep) {
    this.fs = fs;
    this.runDir = runDir;
    this.keep = keep;
  }

  public static CheckpointStore open(String root, String runId, int keep, Configuration hadoop) {
    Path runDir = new Path(root, runId);
    try {
      // The folder itself appears with the first checkpoint: a run that fails at start leaves nothing.
      FileSystem fs = runDir.getFileSystem(hadoop);
      return new CheckpointStore(fs, fs.makeQualified(runDir), Math.max(1, keep));
    } catch (IOException e) {
      throw new CheckpointException("Cannot open checkpoint folder " + runDir + ": " + e.getMessage(), e);
    }
  }

  public Path runDir() {
    return runDir;
  }

  /** Writes epoch {@code epoch} (1-based) and prunes older ones; returns the committed folder. */
  public Path write(int epoch, ComputationGraph network, String config, List<String> metricsLines) {
    Path target = new Path(runDir, String.format("%s%04d", EPOCH_PREFIX, epoch));
    Path temp = new Path(runDir, "._tmp-" + target.getName() + "-" + UUID.randomUUID());
    try {
      fs.mkdirs(temp);
      try (OutputStream out = fs.create(new Path(temp, MODEL), false)) {
        ModelSerializer.writeModel(network, out, true);
      }
      writeText(new Path(temp, CONFIG), config);
      writeText(new Path(temp, METRICS), String.join("\n", metricsLines) + "\n");
      if (fs.exists(target)) {
        fs.delete(target, true);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("rename of " + temp + " refused");
      }
    } catch (IOException | RuntimeException e) {
      // DL4J's serialiser fails with unchecked exceptions too; either way the temporary folder goes.
      deleteQuietly(temp);
      throw new CheckpointException("Cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
    try {
      prune();
    } catch (IOException | CheckpointException e) {
      // The new checkpoint is committed; an old one left behind is only disk space.
      LOG.warn("Cannot delete old checkpoints in {}: {}", runDir, e.getMessage());
    }
    return target;
  }

  /** The newest complete epoch folder, or null when the run has none. */
  public Path latest() {
    Path[] epochs = epochFolders();
    return epochs.length == 0 ? null : epochs[epochs.length - 1];
  }

  /** Loads the network of a checkpoint folder written by {@link #write}. */
  public ComputationGraph loadNetwork(Path epochFolder) {
    Path model = new Path(epochFolder, MODEL);
    try (var in = fs.open(model)) {
      return ModelSerializer.restoreComputationGraph(in, true);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException("Cannot load checkpoint " + model + ": " + e.getMessage(), e);
    }
  }

  private void writeText(Path path, String text) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private Path[] epochFolders() {
    try {
      if (!fs.exists(runDir)) {
        return new Path[0];
      }
      FileStatus[] found = fs.listStatus(runDir, p -> p.getName().startsWith(EPOCH_PREFIX));
      return Arrays.stream(found).filter(FileStatus::isDirectory).map(FileStatus::getPath)
          .sorted((a, b) -> a.getName().compareTo(b.getName())).toArray(Path[]::new);
    } catch (IOException e) {
      throw new CheckpointException("Cannot list checkpoints in " + runDir + ": " + e.getMessage(), e);
    }
  }

  private void prune() throws IOException {
    Path[] epochs = epochFolders();
    for (int i = 0; i < epochs.length - keep; i++) {
      fs.delete(epochs[i], true);
    }
  }

  private void deleteQuietly(Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException ignored) {
      // The write already failed; the temporary folder's name marks it as garbage either way.
    }
  }
}
