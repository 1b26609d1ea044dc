package org.mixbt.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.pytorch.ImportOptions;
import org.mixbt.core.pytorch.ImportReport;
import org.mixbt.core.pytorch.StateDictSelection;
import org.mixbt.core.pytorch.TorchCheckpointImporter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weights of {@code mixbt.model.init-from}: a PyTorch checkpoint imported on the driver at start-up (so a
 * wrong file stops the run before any Spark job), then copied into the training network once that is built.
 */
final class InitialWeights {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InitialWeights.class);

  private final String source;
  private final INDArray params;
  private final ImportReport report;

  private InitialWeights(String source, INDArray params, ImportReport report) {
    this.source = source;
    this.params = params;
    this.report = report;
  }

  /** The imported weights, or null when {@code mixbt.model.init-from} is empty. */
  static InitialWeights load(JobSettings settings, Configuration hadoop) {
    if (settings.initFrom.isEmpty()) {
      return null;
    }
    // Same configuration as the run's network (the optimizer does not change the parameter layout).
    ComputationGraph network = MixedBarlowTwinsNetwork.training(settings.network,
        settings.optimizer.spec(1, settings.epochs, settings.batchSize, settings.seed),
        new MixedBarlowTwinsLossFunction(settings.lambda, settings.mixScale, settings.network.mixing(),
            settings.onDegenerateBatch));
    ImportOptions options = new ImportOptions(StateDictSelection.AUTO, null, settings.initEncoderOnly);
    LocalFile local = localCopy(settings.initFrom, hadoop);
    try {
      ImportReport report = TorchCheckpointImporter.load(local.path(), options, network);
      LOG.info("Imported {} tensors ({} values, {} names) from {}; ignored {} keys", report.tensors(), report.values(),
          report.layout(), settings.initFrom, report.ignoredKeys().size());
      return new InitialWeights(settings.initFrom, network.params(), report);
    } finally {
      local.release();
    }
  }

  /** Copies the weights into {@code network}, which must have the configuration they were imported into. */
  void applyTo(ComputationGraph network) {
    if (network.params().length() != params.length()) {
      throw new IllegalStateException("Cannot start from " + source + ": the network has " + network.params().length()
          + " parameters, the imported weights " + params.length());
    }
    network.params().assign(params);
  }

  String source() {
    return source;
  }

  ImportReport report() {
    return report;
  }

  /** A local file for {@code uri}: itself when local, else a temporary copy released after the import. */
  private static LocalFile localCopy(String uri, Configuration hadoop) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    String scheme = path.toUri().getScheme();
    if (scheme == null || "file".equals(scheme)) {
      return new LocalFile(Path.of(path.toUri().getPath()), false);
    }
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      Path temp = Files.createTempFile("mixbt-init-", ".pth");
      fs.copyToLocalFile(false, path, new org.apache.hadoop.fs.Path(temp.toUri()), true);
      return new LocalFile(temp, true);
    } catch (IOException e) {
      throw new CheckpointException("Cannot read checkpoint " + uri + ": " + e, e);
    }
  }

  private record LocalFile(Path path, boolean temporary) {
    void release() {
      if (temporary) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          LOG.warn("Cannot delete temporary copy {}: {}", path, e.getMessage());
        }
      }
    }
  }
}
