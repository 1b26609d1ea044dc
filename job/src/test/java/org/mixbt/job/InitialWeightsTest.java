package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.pytorch.TorchCheckpoint;
import org.mixbt.core.pytorch.TorchCheckpointReader;
import org.mixbt.core.pytorch.TorchFixtures;
import org.mixbt.core.pytorch.StateDictSelection;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code mixbt.model.init-from}: the original's CIFAR ResNet-18 (width 8) saved by PyTorch, loaded through the
 * job's settings into the network the job trains, gives PyTorch's encoder features.
 */
class InitialWeightsTest {
  @TempDir
  Path dir;

  /** A width-8 network on the default 32x32, 3-channel views: the fixture's network. */
  private JobSettings settings(String... extra) {
    List<String> lines = new ArrayList<>(List.of("mixbt.model.base-width = 8", "mixbt.model.projector-hidden = [32]",
        "mixbt.model.feature-dim = 16", "mixbt.loss.mixing = false"));
    lines.addAll(List.of(extra));
    return JobSettings.load(null, lines);
  }

  @Test
  void emptyInitFromMeansRandomWeights() {
    assertNull(InitialWeights.load(settings(), new Configuration()));
  }

  @Test
  void publishedStyleCheckpointLoadsIntoTheJobsNetwork() throws IOException {
    Path pth = TorchFixtures.copy("resnet18_cifar_w8.pth", dir);
    JobSettings s = settings("mixbt.model.init-from = \"" + pth + "\"");
    assertEquals(pth.toString(), s.initFrom);
    assertFalse(s.initEncoderOnly);
    InitialWeights initial = InitialWeights.load(s, new Configuration());
    assertTrue(initial.report().ignoredKeys().stream().allMatch(k -> k.endsWith("num_batches_tracked")));

    // The network the job builds later (another optimizer schedule, same layout) takes the weights.
    ComputationGraph network = MixedBarlowTwinsNetwork.training(s.network,
        s.optimizer.spec(10, 10, s.batchSize, s.seed),
        new MixedBarlowTwinsLossFunction(s.lambda, s.mixScale, false, s.onDegenerateBatch));
    initial.applyTo(network);
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(s.network);
    MixedBarlowTwinsNetwork.copyEncoder(network, extractor);

    Path expectedFile = TorchFixtures.copy("resnet18_cifar_w8_expected.pth", dir);
    try (TorchCheckpoint expected = TorchCheckpointReader.open(expectedFile)) {
      var t = expected.stateDict(StateDictSelection.AUTO);
      INDArray input = Nd4j.create(t.get("input").toFloatArray(), t.get("input").shape(), 'c');
      INDArray feature = Nd4j.create(t.get("feature").toFloatArray(), t.get("feature").shape(), 'c');
      double error = extractor.outputSingle(input).sub(feature).amaxNumber().doubleValue();
      assertTrue(error <= 1e-4 * feature.amaxNumber().doubleValue(), "feature error " + error);
    }
  }

  @Test
  void encoderOnlyLeavesTheProjectorRandom() throws IOException {
    Path pth = TorchFixtures.copy("resnet18_cifar_w8.pth", dir);
    // A different d: only an encoder-only start can use this file.
    JobSettings s = settings("mixbt.model.init-from = \"" + pth + "\"", "mixbt.model.feature-dim = 24",
        "mixbt.model.init-encoder-only = true");
    InitialWeights initial = InitialWeights.load(s, new Configuration());
    assertTrue(initial.report().ignoredKeys().contains("g.3.weight"));
    assertEquals(20 + 20 * 4, initial.report().tensors());
  }

  @Test
  void checkpointOfAnotherNetworkStopsTheRunNamingTheKeys() throws IOException {
    Path pth = TorchFixtures.copy("resnet18_cifar_w8.pth", dir);
    JobSettings s = settings("mixbt.model.init-from = \"file://" + pth + "\"", "mixbt.model.base-width = 16");
    CheckpointException e = assertThrows(CheckpointException.class, () -> InitialWeights.load(s, new Configuration()));
    assertTrue(e.getMessage().startsWith("Cannot import checkpoint " + pth + " (MIXBT_SMALL names) into the network:"
        + " 101 shape mismatch(es): f.0.weight expected float [16, 3, 3, 3] found FLOAT32[8, 3, 3, 3]"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path absent = dir.resolve("absent.pth");
    JobSettings s = settings("mixbt.model.init-from = \"" + absent + "\"");
    CheckpointException e = assertThrows(CheckpointException.class, () -> InitialWeights.load(s, new Configuration()));
    assertEquals("Cannot read checkpoint " + absent + ": no such file", e.getMessage());
  }
}
