package org.mixbt.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state.json, the LATEST pointer, retention, and what a reader does with missing or corrupt files. */
class CheckpointLatestTest {
  private static final String RUN = "run-b";
  private static final String CONFIG = "mixbt { seed = 3 }\n";
  private static ComputationGraph net;

  @TempDir
  Path root;

  @BeforeAll
  static void network() {
    net = CheckpointStoreTest.network();
  }

  @Test
  void stateJsonHoldsTheTrainingStateAndReadsBack() throws IOException {
    CheckpointStore store = open(3);
    TrainingState state = new TrainingState(2, 40, 20, 5, 3, 17, 99, "f00d", "{\"epoch\":2,\"loss_bt\":12.5}");

    Path folder = folder(store.write(net, state, CONFIG, List.of("{\"epoch\":1}", "{\"epoch\":2}")));

    assertEquals(state, store.readState(store.latest()));
    String json = Files.readString(folder.resolve(CheckpointStore.STATE));
    for (String field : List.of("\"epoch\" : 2", "\"global_step\" : 40", "\"steps_per_epoch\" : 20",
        "\"workers\" : 3", "\"seed\" : 17", "\"training_master_seed\" : 99", "\"config_sha256\" : \"f00d\"", "\"loss_bt\" : 12.5",
        "\"scheme\" : \"stateless")) {
      assertTrue(json.contains(field), field + " in " + json);
    }
    assertEquals(List.of("{\"epoch\":1}", "{\"epoch\":2}"), store.readMetrics(store.latest()));
    assertEquals(CONFIG, store.readConfig(store.latest()));
  }

  @Test
  void latestNamesTheNewestCommittedEpochAndRetentionKeepsN() throws IOException {
    CheckpointStore store = open(2);
    for (int epoch = 1; epoch <= 4; epoch++) {
      store.write(net, CheckpointStoreTest.state(epoch), CONFIG, CheckpointStoreTest.metrics(epoch));
      assertEquals(CheckpointStore.folderName(epoch) + "\n", latestFile());
    }

    assertEquals(List.of("LATEST", "epoch-0003", "epoch-0004"), CheckpointStoreTest.visibleEntries(run()));
    assertEquals(List.of(), CheckpointStoreTest.temporaryEntries(run()));
    assertEquals("epoch-0004", store.latest().getName());
  }

  @Test
  void latestPointingToAMissingFolderFallsBackToTheNewestComplete() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 2);
    overwrite(run().resolve(CheckpointStore.LATEST), "epoch-0009\n");

    assertEquals("epoch-0002", store.latest().getName());
  }

  @Test
  void latestPointingToAnIncompleteFolderFallsBackToTheNewestComplete() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 3);
    // Epoch 3 lost its state.json (as a folder copied by hand, or written by an older mixbt, would be).
    Files.delete(run().resolve("epoch-0003").resolve(CheckpointStore.STATE));

    assertEquals("epoch-0002", store.latest().getName());
    assertTrue(store.isComplete(store.latest()));
  }

  @Test
  void latestLaggingBehindACommittedEpochDoesNotLoseIt() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 2);
    // As after a crash between the rename of epoch-0002 and the update of LATEST.
    overwrite(run().resolve(CheckpointStore.LATEST), "epoch-0001\n");

    assertEquals("epoch-0002", store.latest().getName());
  }

  @Test
  void missingOrGarbledLatestFallsBackToTheNewestComplete() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 2);
    overwrite(run().resolve(CheckpointStore.LATEST), "../../etc\n");
    assertEquals("epoch-0002", store.latest().getName());

    Files.delete(run().resolve(CheckpointStore.LATEST));
    assertEquals("epoch-0002", store.latest().getName());
  }

  @Test
  void noCompleteFolderMeansNoCheckpoint() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 1);
    Files.delete(run().resolve("epoch-0001").resolve(CheckpointStore.MODEL));

    assertNull(store.latest());
  }

  @Test
  void aTemporaryFolderLeftByAKilledWriteIsNeitherReadNorKept() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 1);
    Path leftover = Files.createDirectories(run().resolve("._tmp-epoch-0002-dead"));
    overwrite(leftover.resolve(CheckpointStore.MODEL), "half");

    assertEquals("epoch-0001", store.latest().getName());
    store.write(net, CheckpointStoreTest.state(2), CONFIG, CheckpointStoreTest.metrics(2));
    assertEquals(List.of(), CheckpointStoreTest.temporaryEntries(run()));
  }

  @Test
  void corruptStateJsonNamesTheFile() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 1);
    Path state = run().resolve("epoch-0001").resolve(CheckpointStore.STATE);
    overwrite(state, "{\"format\": 1, \"epoch\": ");

    CheckpointException e = assertThrows(CheckpointException.class, () -> store.readState(store.latest()));

    assertTrue(e.getMessage().startsWith("Cannot read checkpoint state " + store.latest() + "/state.json: not JSON"),
        e.getMessage());
  }

  @Test
  void stateJsonThatDisagreesWithItsFolderOrItselfIsCorrupt() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 1);
    Path state = run().resolve("epoch-0001").resolve(CheckpointStore.STATE);
    String good = Files.readString(state);

    overwrite(state, good.replace("\"epoch\" : 1", "\"epoch\" : 2").replace("\"global_step\" : 5",
        "\"global_step\" : 10"));
    assertEquals("Cannot read checkpoint state " + store.latest() + "/state.json: epoch 2 does not match its folder"
        + " epoch-0001", assertThrows(CheckpointException.class, () -> store.readState(store.latest())).getMessage());

    overwrite(state, good.replace("\"global_step\" : 5", "\"global_step\" : 6"));
    assertEquals("Cannot read checkpoint state " + store.latest() + "/state.json: global_step 6 is not epoch 1"
        + " x steps_per_epoch 5", assertThrows(CheckpointException.class,
            () -> store.readState(store.latest())).getMessage());

    overwrite(state, good.replace("\"seed\"", "\"sead\""));
    assertEquals("Cannot read checkpoint state " + store.latest() + "/state.json: missing field seed",
        assertThrows(CheckpointException.class, () -> store.readState(store.latest())).getMessage());

    overwrite(state, good.replace("\"format\" : 1", "\"format\" : 7"));
    assertEquals("Cannot read checkpoint state " + store.latest() + "/state.json: format 7, this mixbt reads format 1",
        assertThrows(CheckpointException.class, () -> store.readState(store.latest())).getMessage());
  }

  @Test
  void corruptModelZipNamesTheFile() throws IOException {
    CheckpointStore store = open(3);
    writeEpochs(store, 1);
    overwrite(run().resolve("epoch-0001").resolve(CheckpointStore.MODEL), "not a zip");

    CheckpointException e = assertThrows(CheckpointException.class, () -> store.loadNetwork(store.latest()));

    assertTrue(e.getMessage().startsWith("Cannot load checkpoint " + store.latest() + "/model.zip: "), e.getMessage());
  }

  /** Replaces a file behind Hadoop's back, dropping its .crc side file (else reads fail the checksum). */
  private static void overwrite(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  private void writeEpochs(CheckpointStore store, int n) {
    for (int epoch = 1; epoch <= n; epoch++) {
      store.write(net, CheckpointStoreTest.state(epoch), CONFIG, CheckpointStoreTest.metrics(epoch));
    }
  }

  private String latestFile() throws IOException {
    return Files.readString(run().resolve(CheckpointStore.LATEST));
  }

  private Path run() {
    return root.resolve(RUN);
  }

  private static Path folder(org.apache.hadoop.fs.Path p) {
    return Path.of(p.toUri());
  }

  private CheckpointStore open(int keep) {
    return CheckpointStore.open(root.toUri().toString(), RUN, keep, new Configuration());
  }
}
