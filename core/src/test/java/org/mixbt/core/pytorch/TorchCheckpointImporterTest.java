package org.mixbt.core.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The original small-data model (mix-bt model.py at base width 8, CIFAR stem, projector 64-32-16) saved by
 * PyTorch 1.13 imports with no missing or unexpected keys and reproduces PyTorch's features and projector outputs
 * on fixed inputs, in eval mode and in train mode (per-view batch statistics).
 */
class TorchCheckpointImporterTest {
  static final NetworkSpec SPEC = new NetworkSpec(8, 3, 32, 32, 16, false);
  /** Relative tolerance in float32: |ours - torch| <= TOL * max|torch| over each output. */
  static final double TOL = 1e-4;

  @TempDir
  static Path dir;
  static Path checkpoint;
  static Map<String, INDArray> expected = new LinkedHashMap<>();

  @BeforeAll
  static void fixtures() throws IOException {
    checkpoint = TorchFixtures.copy("resnet18_cifar_w8.pth", dir);
    try (TorchCheckpoint c = TorchCheckpointReader.open(TorchFixtures.copy("resnet18_cifar_w8_expected.pth", dir))) {
      c.stateDict(StateDictSelection.AUTO).forEach((k, t) -> expected.put(k, Nd4j.create(t.toFloatArray(), t.shape(), 'c')));
    }
  }

  static ComputationGraph training(NetworkSpec spec) {
    return MixedBarlowTwinsNetwork.training(spec, new OptimizerSpec(1e-3, 0, false, 0, 0, 3),
        new MixedBarlowTwinsLossFunction(0.0078125, 4.0, spec.mixing(), DegenerateBatchPolicy.FAIL));
  }

  @Test
  void originalModelReproducesPyTorchInEvalAndTrainMode() {
    ComputationGraph net = training(SPEC);
    ImportReport report = TorchCheckpointImporter.load(checkpoint, ImportOptions.STRICT, net);
    assertEquals(TorchKeyLayout.MIXBT_SMALL, report.layout());
    // 20 convolutions, 21 BatchNorms (x4), 2 Linear weights and a bias.
    assertEquals(20 + 21 * 4 + 3, report.tensors());
    assertEquals(net.numParams(), report.values());
    assertEquals(21, report.ignoredKeys().size());
    assertTrue(report.ignoredKeys().stream().allMatch(k -> k.endsWith(".num_batches_tracked")));

    INDArray x = expected.get("input");
    Map<String, INDArray> eval = net.feedForward(new INDArray[] {x, x}, false);
    int n = (int) x.size(0);
    assertClose("eval embedding", expected.get("embedding"), rows(eval.get(MixedBarlowTwinsNetwork.EMBEDDING), 0, n));
    assertClose("eval feature", expected.get("feature"), rows(eval.get("feature"), 0, n));

    Map<String, INDArray> train = net.feedForward(new INDArray[] {x, expected.get("train_input2")}, true);
    INDArray embedding = train.get(MixedBarlowTwinsNetwork.EMBEDDING);
    assertClose("train embedding view 1", expected.get("train_embedding1"), rows(embedding, 0, n));
    assertClose("train embedding view 2", expected.get("train_embedding2"), rows(embedding, n, 2 * n));
  }

  @Test
  void featureExtractorTakesTheEncoderOnly() {
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(SPEC);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> TorchCheckpointImporter.load(checkpoint, ImportOptions.STRICT, extractor));
    assertTrue(e.getMessage().startsWith("Cannot import checkpoint " + checkpoint + " (MIXBT_SMALL names) into the"
        + " network: 8 unexpected key(s): g.0.weight, g.1.weight, g.1.bias, g.1.running_mean, g.1.running_var,"
        + " g.1.num_batches_tracked, g.3.weight, g.3.bias;"), e.getMessage());
    ImportReport report = TorchCheckpointImporter.load(checkpoint, ImportOptions.ENCODER_ONLY, extractor);
    assertEquals(20 + 20 * 4, report.tensors());
    assertTrue(report.ignoredKeys().containsAll(List.of("g.0.weight", "g.3.bias", "f.1.num_batches_tracked")));
    assertClose("feature", expected.get("feature"), extractor.outputSingle(expected.get("input")));
  }

  @Test
  void encoderOnlyIntoATrainingNetworkKeepsItsProjector() {
    ComputationGraph net = training(new NetworkSpec(8, 3, 32, 24, 16, false));
    INDArray projector = net.getLayer("projector_fc1").getParam("W").dup();
    ImportReport report = TorchCheckpointImporter.load(checkpoint, ImportOptions.ENCODER_ONLY, net);
    assertEquals(20 + 20 * 4, report.tensors());
    assertEquals(projector, net.getLayer("projector_fc1").getParam("W"));
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(SPEC);
    MixedBarlowTwinsNetwork.copyEncoder(net, extractor);
    assertClose("feature", expected.get("feature"), extractor.outputSingle(expected.get("input")));
  }

  @Test
  void torchvisionNamesImportTheSame() {
    Map<String, TorchTensor> renamed = new LinkedHashMap<>();
    Map<String, String> children = Map.of("f.0.", "conv1.", "f.1.", "bn1.", "f.3.", "layer1.", "f.4.", "layer2.",
        "f.5.", "layer3.", "f.6.", "layer4.", "g.", "projector.");
    try (TorchCheckpoint c = TorchCheckpointReader.open(checkpoint)) {
      c.stateDict(StateDictSelection.AUTO).forEach((k, t) -> {
        String prefix = children.keySet().stream().filter(k::startsWith).findFirst().orElseThrow();
        renamed.put("backbone." + children.get(prefix) + k.substring(prefix.length()), t);
      });
      renamed.keySet().removeIf(k -> k.startsWith("backbone.projector."));
      ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(SPEC);
      ImportReport report = TorchCheckpointImporter.importStateDict(renamed, ImportOptions.ENCODER_ONLY, extractor,
          "renamed");
      assertEquals(TorchKeyLayout.BARLOW_TWINS, report.layout());
      assertClose("feature", expected.get("feature"), extractor.outputSingle(expected.get("input")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void missingKeysAreListed() throws IOException {
    try (TorchCheckpoint c = TorchCheckpointReader.open(checkpoint)) {
      Map<String, TorchTensor> sd = c.stateDict(StateDictSelection.AUTO);
      sd.remove("f.6.1.bn2.running_var");
      sd.remove("g.3.bias");
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> TorchCheckpointImporter.importStateDict(sd, ImportOptions.STRICT, training(SPEC), "trimmed"));
      assertEquals("Cannot import checkpoint trimmed (MIXBT_SMALL names) into the network: 2 missing key(s):"
          + " f.6.1.bn2.running_var, g.3.bias;", e.getMessage());
    }
  }

  @Test
  void shapeMismatchNamesKeyAndShapes() {
    NetworkSpec wider = new NetworkSpec(8, 3, 32, 32, 10, false);
    ComputationGraph net = training(wider);
    INDArray before = net.params().dup();
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> TorchCheckpointImporter.load(checkpoint, ImportOptions.STRICT, net));
    assertEquals("Cannot import checkpoint " + checkpoint + " (MIXBT_SMALL names) into the network: 2 shape"
        + " mismatch(es): g.3.weight expected float [10, 32] found FLOAT32[16, 32], g.3.bias expected float [10] found"
        + " FLOAT32[16];", e.getMessage());
    assertEquals(before, net.params(), "nothing is copied when anything mismatches");
  }

  @Test
  void namesFollowTheTable() {
    assertEquals("f.3.0.downsample.0", TorchParameterNames.modulePath("layer1_0_downsample_0", TorchKeyLayout.MIXBT_SMALL, false));
    assertEquals("f.4.0.conv1", TorchParameterNames.modulePath("layer1_0_conv1", TorchKeyLayout.MIXBT_SMALL, true));
    assertEquals("f.7.2.bn3", TorchParameterNames.modulePath("layer4_2_bn3", TorchKeyLayout.MIXBT_SMALL, true));
    assertEquals("backbone.layer4.2.bn3", TorchParameterNames.modulePath("layer4_2_bn3", TorchKeyLayout.BARLOW_TWINS, true));
    assertEquals("conv1", TorchParameterNames.modulePath("conv1", TorchKeyLayout.TORCHVISION, true));
    assertEquals("g.1", TorchParameterNames.modulePath("projector_bn1", TorchKeyLayout.MIXBT_SMALL, false));
    assertEquals("projector.4", TorchParameterNames.modulePath("projector_bn2", TorchKeyLayout.BARLOW_TWINS, true));
    assertEquals("projector.6", TorchParameterNames.modulePath("projector_fc3", TorchKeyLayout.BARLOW_TWINS, true));
  }

  private static INDArray rows(INDArray a, int from, int to) {
    return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
  }

  static void assertClose(String what, INDArray torch, INDArray ours) {
    assertEquals(List.of(torch.shape()[0], torch.shape()[1]), List.of(ours.shape()[0], ours.shape()[1]), what);
    double scale = torch.amaxNumber().doubleValue();
    double error = torch.sub(ours.castTo(torch.dataType())).amaxNumber().doubleValue();
    System.out.printf("%s: max |ours - torch| / max |torch| = %.3g%n", what, error / scale);
    assertTrue(error <= TOL * scale, what + ": max abs error " + error + " vs scale " + scale);
  }
}
