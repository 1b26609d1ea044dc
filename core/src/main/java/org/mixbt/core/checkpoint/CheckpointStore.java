package org.mixbt.core.checkpoint;

import java.io.IOException;
import java.io.InputStream;
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
 * network with its updater state), {@code state.json} (epoch, step, seed: see {@link TrainingState}),
 * {@code config.conf} (the resolved configuration) and {@code metrics.jsonl} (one JSON line per epoch so
 * far), plus {@code <run-id>/LATEST} naming the newest complete epoch folder. Works on any Hadoop
 * FileSystem.
 *
 * <p>Commit protocol, so that a crash at any point leaves either the old or the new checkpoint where a
 * reader looks: the epoch folder is written under a temporary name and renamed when complete; only then
 * is {@code LATEST} replaced (written under a temporary name, renamed over the old one); only then are
 * epochs beyond the newest {@code keep} deleted. LATEST is for people and tools ({@code hdfs dfs -cat});
 * this store checks it against the listing: when it is missing, names a missing or incomplete folder, or
 * lags behind a newer complete one, the newest complete folder wins (with a warning), so a LATEST lost or
 * stale through a crash between two of these steps costs nothing.
 */
public final class CheckpointStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointStore.class);
  public static final String MODEL = "model.zip";
  public static final String STATE = "state.json";
  public static final String CONFIG = "config.conf";
  public static final String METRICS = "metrics.jsonl";
  public static final String LATEST = "LATEST";
  /** Every file a complete epoch folder holds. */
  public static final List<String> FILES = List.of(MODEL, STATE, CONFIG, METRICS);
  private static final String EPOCH_PREFIX = "epoch-";
  private static final String TEMP_PREFIX = "._tmp-";

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

  /** The folder name of epoch {@code epoch} (1-based). */
  public static String folderName(int epoch) {
    return String.format("%s%04d", EPOCH_PREFIX, epoch);
  }

  /**
   * Writes epoch {@code state.epoch()}, then points LATEST at it, then prunes older epochs; returns the
   * committed folder.
   */
  public Path write(ComputationGraph network, TrainingState state, String config, List<String> metricsLines) {
    Path target = new Path(runDir, folderName(state.epoch()));
    Path temp = new Path(runDir, TEMP_PREFIX + target.getName() + "-" + UUID.randomUUID());
    try {
      fs.mkdirs(temp);
      try (OutputStream out = fs.create(new Path(temp, MODEL), false)) {
        ModelSerializer.writeModel(network, out, true);
      }
      writeText(new Path(temp, CONFIG), config);
      writeText(new Path(temp, METRICS), String.join("\n", metricsLines) + "\n");
      // Last inside the folder: a folder with state.json was written to the end.
      writeText(new Path(temp, STATE), state.toJson());
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
    pointLatestAt(target);
    try {
      prune(target);
    } catch (IOException | CheckpointException e) {
      // The new checkpoint is committed; an old one left behind is only disk space.
      LOG.warn("Cannot delete old checkpoints in {}: {}", runDir, e.getMessage());
    }
    return target;
  }

  /**
   * The newest complete epoch folder, or null when the run has none. Normally the one LATEST names; when
   * LATEST is missing, names a missing or incomplete folder, or lags behind a newer complete folder (a
   * crash between the folder's rename and LATEST's), the newest complete folder, with a warning: a
   * committed epoch is never lost to a stale pointer.
   */
  public Path latest() {
    Path[] complete = Arrays.stream(epochFolders()).filter(this::isComplete).toArray(Path[]::new);
    Path newest = complete.length == 0 ? null : complete[complete.length - 1];
    String named = readLatestPointer();
    if (named == null) {
      if (newest != null) {
        LOG.warn("Checkpoint folder {} has no readable {}: using the newest complete checkpoint {}", runDir,
            LATEST, newest.getName());
      }
      return newest;
    }
    if (newest != null && newest.getName().equals(named)) {
      return newest;
    }
    boolean pointsToComplete = Arrays.stream(complete).anyMatch(p -> p.getName().equals(named));
    LOG.warn("{}/{} names \"{}\", which is {}: using the newest complete checkpoint {}", runDir, LATEST, named,
        pointsToComplete ? "older than a complete checkpoint"
            : named.matches("epoch-\\d+") ? "missing or incomplete" : "not an epoch folder's name",
        newest == null ? "(none)" : newest.getName());
    return newest;
  }

  /** True when the run folder holds any epoch folder, complete or not. */
  public boolean hasEpochFolders() {
    return epochFolders().length > 0;
  }

  /** True when {@code folder} holds every checkpoint file (model.zip non-empty). */
  public boolean isComplete(Path folder) {
    try {
      for (String name : FILES) {
        Path file = new Path(folder, name);
        if (!fs.isFile(file) || (name.equals(MODEL) && fs.getFileStatus(file).getLen() == 0)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new CheckpointException("Cannot read checkpoint folder " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The state of a complete folder; a corrupt {@code state.json} is a CheckpointException naming it. */
  public TrainingState readState(Path epochFolder) {
    Path file = new Path(epochFolder, STATE);
    TrainingState state = TrainingState.fromJson(readText(file), file.toString());
    if (!epochFolder.getName().equals(folderName(state.epoch()))) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": epoch " + state.epoch()
          + " does not match its folder " + epochFolder.getName());
    }
    return state;
  }

  /** The resolved configuration stored with a checkpoint. */
  public String readConfig(Path epochFolder) {
    return readText(new Path(epochFolder, CONFIG));
  }

  /** The metrics lines stored with a checkpoint (one per epoch so far). */
  public List<String> readMetrics(Path epochFolder) {
    return readText(new Path(epochFolder, METRICS)).lines().filter(l -> !l.isBlank()).toList();
  }

  /** Loads the network of a checkpoint folder written by {@link #write}, with its updater state. */
  public ComputationGraph loadNetwork(Path epochFolder) {
    Path model = new Path(epochFolder, MODEL);
    try (var in = fs.open(model)) {
      return ModelSerializer.restoreComputationGraph(in, true);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException("Cannot load checkpoint " + model + ": " + e.getMessage(), e);
    }
  }

  private String readText(Path file) {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CheckpointException("Cannot read checkpoint file " + file + ": " + e.getMessage(), e);
    }
  }

  private void writeText(Path path, String text) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The folder name LATEST holds, or null when there is no LATEST or it cannot be read. */
  private String readLatestPointer() {
    Path file = new Path(runDir, LATEST);
    try {
      if (!fs.isFile(file)) {
        return null;
      }
      return readText(file).strip();
    } catch (IOException | CheckpointException e) {
      return null;
    }
  }

  /**
   * Replaces LATEST by a file written under a temporary name and renamed. Hadoop's FileSystem.rename does
   * not overwrite, so the old pointer is deleted first; a crash between the two leaves no LATEST, which
   * readers treat as "take the newest complete folder": the same answer.
   */
  private void pointLatestAt(Path epochFolder) {
    Path latest = new Path(runDir, LATEST);
    Path temp = new Path(runDir, TEMP_PREFIX + LATEST + "-" + UUID.randomUUID());
    try {
      writeText(temp, epochFolder.getName() + "\n");
      if (fs.exists(latest)) {
        fs.delete(latest, false);
      }
      if (!fs.rename(temp, latest)) {
        throw new IOException("rename of " + temp + " refused");
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new CheckpointException("Cannot update " + latest + " to " + epochFolder.getName() + ": "
          + e.getMessage(), e);
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

  /**
   * Keeps the newest {@code keep} epoch folders (the one just written always among them) and removes
   * temporary entries left by a writer that was killed (one run writes its folder at a time).
   */
  private void prune(Path written) throws IOException {
    Path[] epochs = epochFolders();
    for (int i = 0; i < epochs.length - keep; i++) {
      if (!epochs[i].getName().equals(written.getName())) {
        fs.delete(epochs[i], true);
      }
    }
    for (FileStatus temp : fs.listStatus(runDir, p -> p.getName().startsWith(TEMP_PREFIX))) {
      LOG.info("Removing {} left by an interrupted checkpoint write", temp.getPath());
      fs.delete(temp.getPath(), true);
    }
  }

  private void deleteQuietly(Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException ignored) {
      // The write already failed; the temporary name marks it as garbage either way.
    }
  }
}
