package org.mixbt.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The checkpoint store on the local file system through Hadoop's FileSystem API (file://). */
class CheckpointStoreTest {
  private static final NetworkSpec SPEC = new NetworkSpec(2, 3, 8, 6, 4, true);
  private static final OptimizerSpec OPTIMIZER = new OptimizerSpec(1e-3, 0, false, 0, 0, 7);
  private static final String RUN = "run-a";
  private static final String CONFIG = "mixbt {\n  training {\n    batch-size = 4\n  }\n}\n";

  /** A network trained for one step, so its Adam state is not all zeros. */
  private static ComputationGraph trained;

  @TempDir
  Path root;

  @BeforeAll
  static void trainOneStep() {
    trained = network();
    trained.fit(batch(4, 21, 1));
  }

  @Test
  void keepsTheNewestEpochsWithTheirFiles() throws IOException {
    CheckpointStore store = open(2);
    for (int epoch = 1; epoch <= 3; epoch++) {
      store.write(trained, state(epoch), CONFIG, metrics(epoch));
    }

    Path run = root.resolve(RUN);
    assertEquals(List.of("LATEST", "epoch-0002", "epoch-0003"), visibleEntries(run));
    for (int epoch = 2; epoch <= 3; epoch++) {
      Path folder = run.resolve(String.format("epoch-%04d", epoch));
      assertTrue(Files.size(folder.resolve(CheckpointStore.MODEL)) > 0);
      assertEquals(CONFIG, Files.readString(folder.resolve(CheckpointStore.CONFIG), StandardCharsets.UTF_8));
      assertEquals(String.join("\n", metrics(epoch)) + "\n",
          Files.readString(folder.resolve(CheckpointStore.METRICS), StandardCharsets.UTF_8));
    }
    assertEquals(List.of(), temporaryEntries(run));
  }

  @Test
  void latestIsTheNewestEpoch() {
    CheckpointStore store = open(2);
    assertNull(store.latest());
    for (int epoch = 1; epoch <= 3; epoch++) {
      store.write(trained, state(epoch), CONFIG, metrics(epoch));
    }

    assertEquals("epoch-0003", store.latest().getName());
    assertEquals(store.runDir(), store.latest().getParent());
  }

  @Test
  void writeReturnsTheCommittedFolder() {
    CheckpointStore store = open(2);

    org.apache.hadoop.fs.Path written = store.write(trained, state(7), CONFIG, metrics(7));

    assertEquals(store.latest(), written);
    assertTrue(Files.isDirectory(root.resolve(RUN).resolve("epoch-0007")));
  }

  @Test
  void rewritingAnEpochReplacesIt() throws IOException {
    CheckpointStore store = open(2);
    store.write(trained, state(1), "old", metrics(1));

    store.write(trained, state(1), CONFIG, metrics(1));

    assertEquals(CONFIG, Files.readString(root.resolve(RUN).resolve("epoch-0001").resolve(CheckpointStore.CONFIG)));
    assertEquals(List.of("LATEST", "epoch-0001"), visibleEntries(root.resolve(RUN)));
  }

  @Test
  void restoredNetworkHasTheSameParametersAndUpdaterState() {
    CheckpointStore store = open(2);
    store.write(trained, state(1), CONFIG, metrics(1));

    ComputationGraph restored = store.loadNetwork(store.latest());

    assertEquals(trained.params(), restored.params());
    INDArray state = trained.getUpdater().getStateViewArray();
    INDArray restoredState = restored.getUpdater().getStateViewArray();
    assertEquals(state.length(), restoredState.length());
    assertTrue(state.amaxNumber().doubleValue() > 0, "Adam state should be non-zero after one step");
    assertEquals(state, restoredState);
  }

  @Test
  void restoredNetworkStillTrains() {
    CheckpointStore store = open(2);
    store.write(trained, state(1), CONFIG, metrics(1));
    ComputationGraph restored = store.loadNetwork(store.latest());
    INDArray before = restored.params().dup();

    restored.fit(batch(4, 22, 2));

    assertTrue(Double.isFinite(restored.score()), "score " + restored.score());
    assertNotEquals(before, restored.params());
  }

  @Test
  void failingSerialisationLeavesNoTemporaryOrPartialFolder() throws IOException {
    CheckpointStore store = open(2);
    store.write(trained, state(1), CONFIG, metrics(1));
    // Never initialised: it has no parameter array, so writing it fails half-way through model.zip.
    ComputationGraph broken = new ComputationGraph(trained.getConfiguration().clone());

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> store.write(broken, state(2), CONFIG, metrics(2)));

    assertTrue(e.getMessage().startsWith("Cannot write checkpoint " + store.runDir() + "/epoch-0002: "),
        e.getMessage());
    Path run = root.resolve(RUN);
    assertEquals(List.of("LATEST", "epoch-0001"), visibleEntries(run));
    assertEquals(List.of(), temporaryEntries(run));
    assertEquals("epoch-0001", store.latest().getName());
  }

  @Test
  void unwritableRunFolderFailsNamingThePath() throws IOException {
    CheckpointStore store = open(2);
    Path run = root.resolve(RUN);
    // A plain file where the run folder would be: nothing can be created beneath it (even as root).
    Files.writeString(run, "not a folder");

    CheckpointException e = assertThrows(CheckpointException.class,
        () -> store.write(trained, state(1), CONFIG, metrics(1)));

    assertTrue(e.getMessage().startsWith("Cannot write checkpoint " + store.runDir() + "/epoch-0001: "),
        e.getMessage());
    assertTrue(Files.isRegularFile(run));
    try (Stream<Path> left = Files.list(root)) {
      assertEquals(List.of(RUN), left.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).toList());
    }
  }

  @Test
  void loadingAMissingCheckpointNamesTheModelPath() {
    CheckpointStore store = open(2);
    org.apache.hadoop.fs.Path missing = new org.apache.hadoop.fs.Path(store.runDir(), "epoch-0009");

    CheckpointException e = assertThrows(CheckpointException.class, () -> store.loadNetwork(missing));

    assertTrue(e.getMessage().startsWith("Cannot load checkpoint " + missing + "/model.zip: "), e.getMessage());
  }

  @Test
  void runFolderAppearsWithTheFirstCheckpointOnly() {
    CheckpointStore store = open(1);

    // A run that fails before its first epoch leaves nothing behind.
    assertFalse(Files.exists(root.resolve(RUN)));
    assertNull(store.latest());
    assertEquals("file", store.runDir().toUri().getScheme());
    store.write(trained, state(1), CONFIG, metrics(1));
    assertTrue(Files.isDirectory(root.resolve(RUN)));
  }

  private CheckpointStore open(int keep) {
    return CheckpointStore.open(root.toUri().toString(), RUN, keep, new Configuration());
  }

  static TrainingState state(int epoch) {
    return new TrainingState(epoch, epoch * 5L, 5, 9, 2, 7, 11, "abc123", "{\"epoch\":" + epoch + ",\"loss\":1.5}");
  }

  static List<String> metrics(int epoch) {
    return List.of("{\"epoch\":" + epoch + ",\"loss\":1.5}", "{\"epoch\":" + epoch + ",\"knn_top1\":0.25}");
  }

  /** Folder entries other than hidden ones (Hadoop's .crc side files, temporary folders). */
  static List<String> visibleEntries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }

  static List<String> temporaryEntries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("._tmp-")).toList();
    }
  }

  static ComputationGraph network() {
    Nd4j.getRandom().setSeed(7);
    MixedBarlowTwinsLossFunction loss =
        new MixedBarlowTwinsLossFunction(0.0078125, 4.0, true, DegenerateBatchPolicy.FAIL);
    return MixedBarlowTwinsNetwork.training(SPEC, OPTIMIZER, loss);
  }

  /** Random views; the mixed view is x1 (its content does not matter to the store). */
  private static MultiDataSet batch(int n, long seed, long step) {
    Nd4j.getRandom().setSeed(seed);
    long[] shape = {n, SPEC.inputChannels(), SPEC.imageSize(), SPEC.imageSize()};
    INDArray x1 = Nd4j.randn(DataType.FLOAT, shape);
    INDArray x2 = Nd4j.randn(DataType.FLOAT, shape);
    int[] permutation = {2, 0, 3, 1};
    INDArray labels = new StepLabels(0.3, permutation, step).toArray();
    return new MultiDataSet(new INDArray[] {x1, x2, x1.dup()}, new INDArray[] {labels});
  }
}
