package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.pytorch.ImportOptions;
import org.mixbt.core.pytorch.TorchCheckpointImporter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Export on a real HDFS (MiniDFSCluster: a NameNode and a DataNode in this JVM, on loopback): checkpoints written
 * there in the job's layout, the newest complete epoch taken (a stale {@code LATEST} notwithstanding), the export
 * written to an {@code hdfs://} output and read back: both weight files give the trained network's features.
 */
class ExportHdfsIT {
  static MiniHdfs cluster;
  static String hdfs;
  static FileSystem fs;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    cluster = MiniHdfs.start(tmp.resolve("dfs"));
    hdfs = cluster.uri();
    fs = cluster.fileSystem();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void exportFromHdfsToHdfsTakesTheNewestCompleteEpochAndRoundTrips() throws Exception {
    String root = hdfs + "/checkpoints";
    JobSettings settings = ExportFixtures.settings("hdfs-run");
    Configuration hadoop = new Configuration();
    ComputationGraph last = ExportFixtures.trainedRun(root, settings, 2, hadoop);
    // Epoch 2 lost its metrics (LATEST still names it): the export must take epoch 1, the newest complete one.
    fs.delete(new org.apache.hadoop.fs.Path("/checkpoints/hdfs-run/epoch-0002/metrics.jsonl"), false);
    ComputationGraph epochOne = org.mixbt.core.checkpoint.CheckpointStore.open(root, "hdfs-run", 2, hadoop)
        .loadNetwork(ExportFixtures.epochFolder(root, "hdfs-run", 1));
    INDArray inputs = ExportFixtures.inputs(settings);
    INDArray expected = ExportFixtures.features(epochOne, inputs);
    assertFalse(expected.equals(ExportFixtures.features(last, inputs)), "epochs 1 and 2 differ: the choice is tested");

    String output = hdfs + "/exports/hdfs-run";
    ExportJobTest.Result r = ExportJobTest.export("--checkpoint", root + "/hdfs-run", "--output", output);
    assertEquals(0, r.code(), r.err());
    Path local = tmp.resolve("copy");
    fs.copyToLocalFile(new org.apache.hadoop.fs.Path(output), new org.apache.hadoop.fs.Path(local.toUri()));

    ComputationGraph dl4j = ModelSerializer.restoreComputationGraph(local.resolve("encoder.zip").toFile(), false);
    ExportJobTest.assertSameFeatures("encoder.zip from HDFS", expected, dl4j.outputSingle(false, inputs));
    ComputationGraph fresh = MixedBarlowTwinsNetwork.featureExtractor(settings.network);
    TorchCheckpointImporter.load(local.resolve("encoder.pth"), ImportOptions.STRICT, fresh);
    assertArrayEquals(dl4j.params().toFloatVector(), fresh.params().toFloatVector());
    ExportJobTest.assertSameFeatures("encoder.pth from HDFS", expected, fresh.outputSingle(false, inputs));

    JsonNode m = new ObjectMapper().readTree(local.resolve("export.json").toFile());
    assertEquals(root + "/hdfs-run/epoch-0001", m.at("/source/checkpoint").asText());
    assertEquals("newest complete epoch folder", m.at("/source/selected_by").asText());
    assertEquals(1, m.at("/metrics/epoch").asInt());
    for (String file : new String[] {"encoder.zip", "encoder.pth", "encoder.safetensors"}) {
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(
          local.resolve(file)))), m.at("/files/" + file + "/sha256").asText(), file);
    }

    // An existing output is refused, then replaced with --overwrite; no temporary or old folder stays behind.
    assertEquals(2, ExportJobTest.export("--checkpoint", root + "/hdfs-run", "--output", output).code());
    ExportFixtures.writeCheckpoint(ExportFixtures.epochFolder(root, "hdfs-run", 2), last, settings.render(),
        java.util.List.of("{\"epoch\":2,\"steps\":3}"), hadoop);
    ExportJobTest.Result again = ExportJobTest.export("--checkpoint", root + "/hdfs-run", "--output", output,
        "--overwrite");
    assertEquals(0, again.code(), again.err());
    FileStatus[] exports = fs.listStatus(new org.apache.hadoop.fs.Path("/exports"));
    assertEquals(1, exports.length, Arrays.toString(exports));
    try (var in = fs.open(new org.apache.hadoop.fs.Path("/exports/hdfs-run/export.json"))) {
      assertEquals(2, new ObjectMapper().readTree(in).at("/source/epoch").asInt());
    }
  }

  @Test
  void aMissingConfigOnHdfsIsOneLineNamingIt() throws IOException {
    String root = hdfs + "/broken";
    // An untrained network is enough here: the export stops before it reads the model.
    JobSettings settings = ExportFixtures.settings("broken-run");
    ExportFixtures.writeCheckpoint(ExportFixtures.epochFolder(root, "broken-run", 1), MixedBarlowTwinsNetwork.training(
        settings.network, new org.mixbt.core.model.OptimizerSpec(1e-3, 0, false, 0, 0, 1), settings.lossFunction(1)),
        settings.render(), java.util.List.of("{\"epoch\":1}"), new Configuration());
    fs.delete(new org.apache.hadoop.fs.Path("/broken/broken-run/epoch-0001/config.conf"), false);
    ExportJobTest.Result r = ExportJobTest.export("--checkpoint", root + "/broken-run/epoch-0001", "--output",
        hdfs + "/exports/x");
    assertEquals(3, r.code(), r.err());
    assertEquals("Error: Cannot export checkpoint " + root + "/broken-run/epoch-0001: config.conf is missing: " + root
        + "/broken-run/epoch-0001/config.conf", r.err().strip());
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/exports/x")));
  }
}
