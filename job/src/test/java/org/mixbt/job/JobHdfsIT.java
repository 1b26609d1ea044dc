package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.checkpoint.TrainingState;

/**
 * The job on a real HDFS (Hadoop's MiniDFSCluster: a NameNode and a DataNode in this JVM, on loopback):
 * shards prepped to hdfs://, read by the training job, checkpoints written there, the run resumed from
 * them, and a finished run's rerun doing nothing.
 */
class JobHdfsIT {
  static MiniHdfs cluster;
  static String hdfs;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    cluster = MiniHdfs.start(tmp.resolve("dfs"));
    hdfs = cluster.uri();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void prepTrainCheckpointAndResumeOnHdfs() throws IOException {
    String shards = hdfs + "/data/fashion-mnist";
    String checkpoints = hdfs + "/checkpoints";
    TinyRuns.prep(tmp.resolve("idx"), shards);

    TinyRuns.Job first = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "on-hdfs", 1));
    assertEquals(0, first.exit(), first.err());
    // Extended to 4 epochs, checkpointing every 2 (and at the end): epochs 2 and 4 are written, 3 is not,
    // and retention (keep 2) removes epoch 1.
    TinyRuns.Job resumed = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "on-hdfs", 4,
        "mixbt.checkpoint.every-epochs = 2"));
    assertEquals(0, resumed.exit(), resumed.err());
    assertTrue(resumed.out().contains("epoch 4 done: 6 steps"), resumed.out());
    assertTrue(!resumed.out().contains("epoch 1 done"), "epoch 1 is not trained again: " + resumed.out());

    CheckpointStore store = CheckpointStore.open(checkpoints, "on-hdfs", 2, new Configuration());
    assertEquals("hdfs", store.runDir().toUri().getScheme());
    FileSystem fs = store.runDir().getFileSystem(new Configuration());
    try (var in = fs.open(new org.apache.hadoop.fs.Path(store.runDir(), CheckpointStore.LATEST))) {
      assertEquals("epoch-0004\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(List.of("LATEST", "epoch-0002", "epoch-0004"), Arrays.stream(fs.listStatus(store.runDir()))
        .map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName)
        .filter(n -> n.equals(CheckpointStore.LATEST) || n.startsWith("epoch-")).sorted().toList());
    TrainingState state = store.readState(store.latest());
    assertEquals(24, state.globalStep());
    assertEquals(4, store.readMetrics(store.latest()).size());
    // The weights moved between the two kept checkpoints: epochs 3 and 4 were trained.
    float[] epoch2 = store.loadNetwork(new org.apache.hadoop.fs.Path(store.runDir(), "epoch-0002")).params()
        .toFloatVector();
    float[] epoch4 = store.loadNetwork(store.latest()).params().toFloatVector();
    assertEquals(epoch2.length, epoch4.length);
    assertTrue(!Arrays.equals(epoch2, epoch4));

    TinyRuns.Job finished = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "on-hdfs", 4));
    assertEquals(0, finished.exit(), finished.err());
    assertTrue(finished.out().contains("Run on-hdfs is finished"), finished.out());
    assertArrayEquals(epoch4, store.loadNetwork(store.latest()).params().toFloatVector());
  }
}
