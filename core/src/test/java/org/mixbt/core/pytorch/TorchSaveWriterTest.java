package org.mixbt.core.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ProjectorKind;
import org.mixbt.core.model.ResNetDepth;
import org.mixbt.core.model.Stem;
import org.mixbt.core.model.ViewBatchNormLayer;
import org.mixbt.core.model.ViewBatchNormParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An encoder written as a torch.save state_dict and as safetensors reads back with torchvision's key names in
 * torchvision's order and, imported strictly into a fresh feature extractor, gives the original's parameters bit
 * for bit and its features (ResNet-18 with the STL stem, ResNet-50 with the ImageNet stem; ExportJobTest exports the
 * CIFAR stem). The BatchNorm statistics are perturbed so that inference mode depends on every one.
 */
class TorchSaveWriterTest {
  @TempDir
  Path dir;

  static ComputationGraph perturbedEncoder(NetworkSpec spec, long seed) {
    ComputationGraph net = MixedBarlowTwinsNetwork.training(spec, new OptimizerSpec(1e-3, 0, false, 0, 0, 3),
        new MixedBarlowTwinsLossFunction(0.0078125, 4.0, spec.mixing(), DegenerateBatchPolicy.FAIL));
    Random random = new Random(seed);
    for (Layer layer : net.getLayers()) {
      if (layer instanceof ViewBatchNormLayer) {
        fill(layer.getParam(ViewBatchNormParams.GAMMA), random, 0.5, 1.5);
        fill(layer.getParam(ViewBatchNormParams.BETA), random, -0.3, 0.3);
        fill(layer.getParam(ViewBatchNormParams.RUNNING_MEAN), random, -0.5, 0.5);
        fill(layer.getParam(ViewBatchNormParams.RUNNING_VAR), random, 0.2, 2.0);
      }
    }
    return net;
  }

  private static void fill(INDArray p, Random random, double lo, double hi) {
    float[] v = new float[(int) p.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    p.assign(Nd4j.create(v, p.shape(), 'c'));
  }

  /** torchvision's state_dict keys for a ResNet without fc, built from its definition, not from our table. */
  static List<String> torchvisionKeys(ResNetDepth depth) {
    List<String> keys = new ArrayList<>(List.of("conv1.weight"));
    batchNorm(keys, "bn1");
    int[] blocks = depth == ResNetDepth.RESNET18 ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
    int convs = depth == ResNetDepth.RESNET18 ? 2 : 3;
    for (int stage = 1; stage <= 4; stage++) {
      for (int b = 0; b < blocks[stage - 1]; b++) {
        String block = "layer" + stage + "." + b + ".";
        for (int i = 1; i <= convs; i++) {
          keys.add(block + "conv" + i + ".weight");
          batchNorm(keys, block + "bn" + i);
        }
        if (b == 0 && (stage > 1 || depth == ResNetDepth.RESNET50)) {
          keys.add(block + "downsample.0.weight");
          batchNorm(keys, block + "downsample.1");
        }
      }
    }
    return keys;
  }

  private static void batchNorm(List<String> keys, String module) {
    for (String buffer : List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked")) {
      keys.add(module + "." + buffer);
    }
  }

  @Test
  void resNet18StlStemRoundTrip() throws IOException {
    roundTrip(new NetworkSpec(ResNetDepth.RESNET18, Stem.STL, 4, 3, 8, ProjectorKind.SMALL, List.of(8), 4, true));
  }

  @Test
  void resNet50ImageNetStemRoundTrip() throws IOException {
    roundTrip(new NetworkSpec(ResNetDepth.RESNET50, Stem.IMAGENET, 2, 3, 16, ProjectorKind.IMAGENET,
        List.of(8, 8), 4, true));
  }

  private void roundTrip(NetworkSpec spec) throws IOException {
    ComputationGraph trained = perturbedEncoder(spec, 11);
    ComputationGraph encoder = MixedBarlowTwinsNetwork.featureExtractor(spec);
    MixedBarlowTwinsNetwork.copyEncoder(trained, encoder);
    List<ExportTensor> tensors = TorchvisionStateDict.of(encoder, 42);
    Path pth = dir.resolve("encoder.pth");
    try (OutputStream out = Files.newOutputStream(pth)) {
      TorchSaveWriter.write(tensors, "encoder", out);
    }
    assertAligned(pth);

    ComputationGraph fresh = MixedBarlowTwinsNetwork.featureExtractor(spec);
    try (TorchCheckpoint c = TorchCheckpointReader.open(pth)) {
      Map<String, TorchTensor> sd = c.stateDict(StateDictSelection.AUTO);
      assertEquals(torchvisionKeys(spec.depth()), new ArrayList<>(sd.keySet()));
      for (Map.Entry<String, TorchTensor> e : sd.entrySet()) {
        if (e.getKey().endsWith("num_batches_tracked")) {
          assertEquals(TorchDtype.INT64, e.getValue().dtype());
          assertEquals(0, e.getValue().shape().length);
          assertEquals(42.0, e.getValue().toDoubleArray()[0]);
        }
      }
      assertEquals(TorchDtype.FLOAT32, sd.get("conv1.weight").dtype());
      assertArrayEquals(new long[] {spec.baseWidth(), 3, spec.stem().kernel(), spec.stem().kernel()},
          sd.get("conv1.weight").shape());
      ImportReport report = TorchCheckpointImporter.importStateDict(sd, ImportOptions.STRICT, fresh, pth.toString());
      assertEquals(TorchKeyLayout.TORCHVISION, report.layout());
      assertTrue(report.ignoredKeys().stream().allMatch(k -> k.endsWith(".num_batches_tracked")));
      assertEquals(sd.size(), report.tensors() + report.ignoredKeys().size());
    }
    assertArrayEquals(encoder.params().toFloatVector(), fresh.params().toFloatVector(), "parameters bit for bit");
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(DataType.FLOAT, 5, 3, spec.imageSize(), spec.imageSize());
    INDArray viaTraining = trained.feedForward(new INDArray[] {x, x, x}, false).get("feature");
    INDArray expected = viaTraining.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5),
        org.nd4j.linalg.indexing.NDArrayIndex.all());
    INDArray actual = fresh.outputSingle(false, x);
    double scale = expected.amaxNumber().doubleValue();
    assertTrue(scale > 0.1, "features not trivial: " + scale);
    assertTrue(actual.sub(expected).amaxNumber().doubleValue() <= 1e-6 * scale, () -> "features differ: "
        + actual + " vs " + expected);

    Path safetensors = dir.resolve("encoder.safetensors");
    try (OutputStream out = Files.newOutputStream(safetensors)) {
      SafetensorsWriter.write(tensors, Map.of("format", "pt"), out);
    }
    assertSafetensors(safetensors, tensors);
  }

  /** Every stored entry's data starts on a 64-byte boundary, as torch.save's do. */
  private static void assertAligned(Path pth) throws IOException {
    byte[] file = Files.readAllBytes(pth);
    try (ZipFile zip = new ZipFile(pth.toFile())) {
      for (Iterator<? extends ZipEntry> it = zip.entries().asIterator(); it.hasNext(); ) {
        ZipEntry e = it.next();
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
        byte[] name = e.getName().getBytes(StandardCharsets.UTF_8);
        int at = indexOf(file, name) - 30;
        ByteBuffer header = ByteBuffer.wrap(file, at, 30).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x04034b50, header.getInt(at));
        int dataStart = at + 30 + (header.getShort(at + 26) & 0xffff) + (header.getShort(at + 28) & 0xffff);
        assertEquals(0, dataStart % 64, e.getName() + " data at " + dataStart);
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 30; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("entry name not found");
  }

  /** Parses the file as the safetensors format defines it and compares every tensor's bytes. */
  private static void assertSafetensors(Path file, List<ExportTensor> tensors) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8);
    JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    assertEquals("pt", header.get("__metadata__").get("format").asText());
    assertEquals(tensors.size() + 1, header.size());
    long end = 0;
    for (ExportTensor t : tensors) {
      JsonNode entry = header.get(t.key());
      assertEquals(t.dtype() == TorchDtype.INT64 ? "I64" : "F32", entry.get("dtype").asText(), t.key());
      long[] shape = new long[entry.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = entry.get("shape").get(i).asLong();
      }
      assertArrayEquals(t.shape(), shape, t.key());
      long begin = entry.get("data_offsets").get(0).asLong();
      assertEquals(end, begin, "no hole before " + t.key());
      end = entry.get("data_offsets").get(1).asLong();
      int from = (int) (8 + headerLength + begin);
      assertArrayEquals(t.data(), java.util.Arrays.copyOfRange(bytes, from, (int) (8 + headerLength + end)), t.key());
    }
    assertEquals(bytes.length, 8 + headerLength + end, "data section fully indexed");
  }
}
