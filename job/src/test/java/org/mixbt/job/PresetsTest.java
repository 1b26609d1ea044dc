package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.train.ViewBatchAssembler;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Every preset in conf/presets loads (no unknown keys, every value valid) and trains one step on a tiny
 * fixture through the job's own pieces: its augmentation recipe, its network kind (depth, stem, projector),
 * its optimizer, schedule and loss variant. Only the sizes are shrunk (width, projector, d, batch) so that
 * ResNet-50 with the ImageNet projector fits a CI machine.
 */
class PresetsTest {
  static final Path PRESETS = Path.of("../conf/presets");

  static Stream<String> presets() throws IOException {
    try (Stream<Path> files = Files.list(PRESETS)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("presets")
  void presetLoadsAndTrainsOneStep(String name) {
    File file = PRESETS.resolve(name).toFile();
    JobSettings full = JobSettings.load(file, List.of());
    // The preset as written: one assertion per recipe fact that the file name promises.
    assertEquals(name.endsWith("-mixbt.conf"), full.network.mixing(), "mixing in " + name);
    assertTrue(name.contains(full.network.depth().name().toLowerCase(java.util.Locale.ROOT)), name);

    JobSettings s = JobSettings.load(file, List.of("mixbt.model.base-width = 2",
        "mixbt.model.projector-hidden = " + (full.network.projectorHidden().size() == 1 ? "[16]" : "[16, 16]"),
        "mixbt.model.feature-dim = 8", "mixbt.training.batch-size = 4"));
    int size = s.augmentation.outputSize();
    ComputationGraph network = MixedBarlowTwinsNetwork.training(s.network,
        s.optimizer.spec(10, s.epochs, s.batchSize, s.seed), s.lossFunction(10));
    ViewBatchAssembler assembler = ViewBatchAssembler.of(s.augmentation, s.network.mixing(), s.seed);
    MultiDataSet batch = assembler.assemble(0, 3, images(4, size + 8, s.augmentation.outputChannels()));
    network.fit(batch);
    double loss = network.score();
    assertTrue(Double.isFinite(loss) && loss > 0, name + ": loss " + loss);
  }

  /** Random RGB (or grey) images a little larger than the network's input, as real shards hold. */
  static List<ImageRecord> images(int n, int side, int channels) {
    SplittableRandom random = new SplittableRandom(7);
    List<ImageRecord> out = new ArrayList<>();
    int stored = channels == 1 ? 1 : 3;
    for (int i = 0; i < n; i++) {
      byte[] pixels = new byte[side * side * stored];
      for (int j = 0; j < pixels.length; j++) {
        pixels[j] = (byte) random.nextInt(256);
      }
      out.add(new ImageRecord(i, i % 2, pixels, side, side, stored));
    }
    return out;
  }
}
