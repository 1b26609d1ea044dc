package org.mixbt.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.train.MixingDraw;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A tiny trained run for the export tests: a width-4 ResNet-18 on 8x8 views trained a few real steps (so the
 * BatchNorm running statistics and affine parameters are no longer their initial values), written in the job's
 * checkpoint layout, plus fixed inputs and the encoder features
 * the trained network itself gives on them in inference mode (the reference every export is compared to).
 */
final class ExportFixtures {
  static final int STEPS_PER_EPOCH = 3;
  static final int BATCH = 6;

  private ExportFixtures() {
  }

  static JobSettings settings(String runId, String... extra) {
    List<String> lines = new ArrayList<>(List.of("mixbt.run-id = " + runId, "mixbt.model.base-width = 4",
        "mixbt.model.projector-hidden = [8]", "mixbt.model.feature-dim = 8",
        "mixbt.augmentation.fashion-mnist.crop-size = 8", "mixbt.augmentation.fashion-mnist.pad = 0"));
    lines.addAll(List.of(extra));
    return JobSettings.load(null, lines);
  }

  /** A run trained for {@code epochs} epochs with a checkpoint after each; returns the final network. */
  static ComputationGraph trainedRun(String root, JobSettings settings, int epochs, Configuration hadoop)
      throws IOException {
    ComputationGraph net = MixedBarlowTwinsNetwork.training(settings.network, new OptimizerSpec(1e-2, 0, false, 0, 0, 5),
        settings.lossFunction(STEPS_PER_EPOCH));
    List<String> metrics = new ArrayList<>();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      for (int s = 0; s < STEPS_PER_EPOCH; s++) {
        net.fit(batch(settings, epoch, s));
      }
      metrics.add("{\"epoch\":" + epoch + ",\"steps\":" + STEPS_PER_EPOCH + ",\"loss_bt\":" + net.score()
          + ",\"loss_mix\":0.5}");
      writeCheckpoint(epochFolder(root, settings.runId, epoch), net, settings.render(), metrics, hadoop);
    }
    return net;
  }

  /**
   * An epoch folder as {@link CheckpointStore} lays it out (model.zip with its updater, config.conf, metrics.jsonl;
   * the run's LATEST naming it). Written here, not through the store, so that these tests do not depend on the
   * store's write signature, which the resume work changes; the export reads only these files.
   */
  static void writeCheckpoint(Path folder, ComputationGraph net, String config, List<String> metrics,
      Configuration hadoop) throws IOException {
    FileSystem fs = folder.getFileSystem(hadoop);
    try (OutputStream out = fs.create(new Path(folder, CheckpointStore.MODEL), true)) {
      ModelSerializer.writeModel(net, out, true);
    }
    write(fs, new Path(folder, CheckpointStore.CONFIG), config);
    write(fs, new Path(folder, CheckpointStore.METRICS), String.join("\n", metrics) + "\n");
    write(fs, new Path(folder.getParent(), ExportSource.LATEST), folder.getName() + "\n");
  }

  private static void write(FileSystem fs, Path file, String text) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static MultiDataSet batch(JobSettings settings, int epoch, int step) {
    Nd4j.getRandom().setSeed(100L * epoch + step);
    int size = settings.network.imageSize();
    long[] shape = {BATCH, settings.network.inputChannels(), size, size};
    INDArray x1 = Nd4j.randn(DataType.FLOAT, shape).muli(1.5).addi(0.3);
    INDArray x2 = Nd4j.randn(DataType.FLOAT, shape).muli(1.5).addi(0.3);
    MixingDraw draw = MixingDraw.draw(1, epoch, step, BATCH);
    INDArray xm = x1.mul(draw.alpha());
    for (int i = 0; i < BATCH; i++) {
      xm.slice(i).addi(x2.slice(draw.permutation()[i]).mul(1 - draw.alpha()));
    }
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), (long) epoch * STEPS_PER_EPOCH + step).toArray();
    return new MultiDataSet(new INDArray[] {x1, x2, xm}, new INDArray[] {labels});
  }

  /** Fixed inputs for feature comparisons. */
  static INDArray inputs(JobSettings settings) {
    Nd4j.getRandom().setSeed(77);
    int size = settings.network.imageSize();
    return Nd4j.randn(DataType.FLOAT, 5, settings.network.inputChannels(), size, size);
  }

  /** The trained network's own encoder features in inference mode (views stacked; the first group taken). */
  static INDArray features(ComputationGraph trained, INDArray x) {
    INDArray feature = trained.feedForward(new INDArray[] {x, x, x}, false).get("feature");
    return feature.get(NDArrayIndex.interval(0, x.size(0)), NDArrayIndex.all()).dup();
  }

  static Path epochFolder(String root, String runId, int epoch) {
    return new Path(new Path(root, runId), String.format("epoch-%04d", epoch));
  }
}
