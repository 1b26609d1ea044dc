package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.pytorch.ImportOptions;
import org.mixbt.core.pytorch.ImportReport;
import org.mixbt.core.pytorch.TorchCheckpointImporter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ExportJob} on a real checkpoint of a briefly trained tiny run: the exported encoder, restored from
 * encoder.zip and re-imported from encoder.pth through the PyTorch importer (strictly), gives the trained
 * network's own features; export.json describes it; every bad input is one line naming the file, exit 3, with
 * nothing written; usage errors exit 2.
 */
class ExportJobTest {
  static final String RUN = "tiny";
  @TempDir
  static Path dir;
  static Path root;
  static JobSettings settings;
  static ComputationGraph trained;
  static INDArray inputs;
  static INDArray expected;

  record Result(int code, String out, String err) {
  }

  @BeforeAll
  static void trainTwoEpochs() throws IOException {
    root = dir.resolve("checkpoints");
    settings = ExportFixtures.settings(RUN);
    trained = ExportFixtures.trainedRun(root.toString(), settings, 2, new Configuration());
    inputs = ExportFixtures.inputs(settings);
    expected = ExportFixtures.features(trained, inputs);
  }

  static Result export(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ExportJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Features equal to the trained network's to float rounding (the graphs batch the same rows differently). */
  static void assertSameFeatures(String what, INDArray expected, INDArray actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double scale = expected.amaxNumber().doubleValue();
    assertTrue(scale > 0.05, "features are not trivial: " + scale);
    double diff = actual.sub(expected).amaxNumber().doubleValue();
    assertTrue(diff <= 1e-6 * scale, what + ": max difference " + diff + " (scale " + scale + ")");
  }

  @Test
  void exportedEncoderReimportedGivesIdenticalFeatures() throws Exception {
    Path out = dir.resolve("export-roundtrip");
    Result r = export("--checkpoint", root.resolve(RUN).toString(), "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("epoch 2") && r.out().contains(out.toString()), r.out());
    List<String> names = Files.list(out).map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
        .sorted().toList();
    assertEquals(List.of("encoder.pth", "encoder.safetensors", "encoder.zip", "export.json"), names);

    // (a) encoder.zip: the encoder alone, one input, the feature output, no updater state.
    ComputationGraph dl4j = ModelSerializer.restoreComputationGraph(out.resolve("encoder.zip").toFile(), false);
    assertEquals(List.of(MixedBarlowTwinsNetwork.IMAGE_INPUT), dl4j.getConfiguration().getNetworkInputs());
    assertEquals(List.of("feature"), dl4j.getConfiguration().getNetworkOutputs());
    assertFalse(dl4j.getConfiguration().getVertices().keySet().stream().anyMatch(n -> n.startsWith("projector")
        || n.equals(MixedBarlowTwinsNetwork.LOSS)));
    try (ZipFile zip = new ZipFile(out.resolve("encoder.zip").toFile())) {
      assertTrue(zip.stream().noneMatch(e -> e.getName().contains("updater")), "no updater state in encoder.zip");
    }
    assertSameFeatures("encoder.zip", expected, dl4j.outputSingle(false, inputs));

    // (b) encoder.pth through the PyTorch importer, strictly, into a fresh network.
    ComputationGraph fresh = MixedBarlowTwinsNetwork.featureExtractor(settings.network);
    ImportReport report = TorchCheckpointImporter.load(out.resolve("encoder.pth"), ImportOptions.STRICT, fresh);
    // bn1, two per basic block, three shortcut BNs: 20 BatchNorms.
    assertEquals(20, report.ignoredKeys().size());
    assertTrue(report.ignoredKeys().stream().allMatch(k -> k.endsWith(".num_batches_tracked")), report.toString());
    assertArrayEquals(dl4j.params().toFloatVector(), fresh.params().toFloatVector(), "both files hold the same weights");
    assertSameFeatures("encoder.pth", expected, fresh.outputSingle(false, inputs));

    assertManifest(out);
    CrossCheckDump.write("resnet18-cifar", out, inputs, expected);

    // (c) What export writes, init-from reads: a new run can start from the exported encoder.
    JobSettings next = ExportFixtures.settings("next", "mixbt.model.init-from = \"" + out.resolve("encoder.pth") + "\"",
        "mixbt.model.init-encoder-only = true");
    ComputationGraph started = MixedBarlowTwinsNetwork.training(next.network, new OptimizerSpec(1e-3, 0, false, 0, 0, 9),
        next.lossFunction(1));
    InitialWeights.load(next, new Configuration()).applyTo(started);
    assertSameFeatures("init-from encoder.pth", expected, ExportFixtures.features(started, inputs));
  }

  /**
   * The other encoder shape: bottleneck blocks with the ImageNet stem (7x7 conv, max-pool). (The STL stem, a
   * CIFAR conv1 with the max-pool, was checked this way against PyTorch once; the row is left out to keep CI short.)
   */
  @ParameterizedTest
  @CsvSource({"resnet50, imagenet, imagenet, '[8, 8]', 2"})
  void otherNetworkVariantsRoundTrip(String arch, String stem, String projector, String hidden, int width)
      throws Exception {
    String run = arch + "-" + stem;
    JobSettings variant = ExportFixtures.settings(run, "mixbt.model.arch = " + arch, "mixbt.model.stem = " + stem,
        "mixbt.model.projector = " + projector, "mixbt.model.projector-hidden = " + hidden,
        "mixbt.model.base-width = " + width);
    Path variantRoot = dir.resolve("variants");
    ComputationGraph net = ExportFixtures.trainedRun(variantRoot.toString(), variant, 1, new Configuration());
    INDArray x = ExportFixtures.inputs(variant);
    INDArray reference = ExportFixtures.features(net, x);
    Path out = dir.resolve("export-" + run);
    Result r = export("--checkpoint", variantRoot.resolve(run).toString(), "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    ComputationGraph dl4j = ModelSerializer.restoreComputationGraph(out.resolve("encoder.zip").toFile(), false);
    assertSameFeatures(run + " encoder.zip", reference, dl4j.outputSingle(false, x));
    ComputationGraph fresh = MixedBarlowTwinsNetwork.featureExtractor(variant.network);
    ImportReport report = TorchCheckpointImporter.load(out.resolve("encoder.pth"), ImportOptions.STRICT, fresh);
    long batchNorms = java.util.Arrays.stream(fresh.getLayers())
        .filter(l -> l instanceof org.mixbt.core.model.ViewBatchNormLayer).count();
    assertEquals(batchNorms, report.ignoredKeys().size());
    assertTrue(report.ignoredKeys().stream().allMatch(k -> k.endsWith(".num_batches_tracked")), report.toString());
    assertSameFeatures(run + " encoder.pth", reference, fresh.outputSingle(false, x));
    JsonNode m = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertEquals(arch, m.at("/architecture/arch").asText());
    assertEquals(stem, m.at("/architecture/stem").asText());
    assertEquals(reference.size(1), m.at("/architecture/feature_size").asLong());
    CrossCheckDump.write(run, out, x, reference);
  }

  private static void assertManifest(Path out) throws Exception {
    JsonNode m = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertEquals("mixbt-encoder-export", m.get("format").asText());
    assertEquals("resnet18", m.at("/architecture/arch").asText());
    assertEquals("cifar", m.at("/architecture/stem").asText());
    assertEquals(4, m.at("/architecture/base_width").asInt());
    assertEquals(expected.size(1), m.at("/architecture/feature_size").asLong());
    assertEquals(8, m.at("/input/height").asInt());
    assertEquals(3, m.at("/input/channels").asInt());
    assertEquals("fashion-mnist", m.at("/preprocessing/recipe").asText());
    assertEquals("[0.286,0.286,0.286]", m.at("/preprocessing/mean").toString());
    assertEquals("[0.353,0.353,0.353]", m.at("/preprocessing/std").toString());
    assertEquals(RUN, m.at("/source/run_id").asText());
    assertEquals(2, m.at("/source/epoch").asInt());
    assertEquals("LATEST", m.at("/source/selected_by").asText());
    assertTrue(m.at("/source/checkpoint").asText().endsWith("/" + RUN + "/epoch-0002"), m.toString());
    // The last metrics.jsonl line, as it is.
    List<String> lines = Files.readAllLines(root.resolve(RUN).resolve("epoch-0002").resolve("metrics.jsonl"));
    assertEquals(new ObjectMapper().readTree(lines.get(lines.size() - 1)), m.get("metrics"));
    assertEquals(2L * ExportFixtures.STEPS_PER_EPOCH * 3, m.at("/weights/num_batches_tracked").asLong());
    assertEquals(fresh().numParams(), m.at("/weights/parameters").asLong());
    for (String file : List.of("encoder.zip", "encoder.pth", "encoder.safetensors")) {
      byte[] bytes = Files.readAllBytes(out.resolve(file));
      assertEquals(bytes.length, m.at("/files/" + file + "/bytes").asLong(), file);
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
          m.at("/files/" + file + "/sha256").asText(), file);
    }
  }

  private static ComputationGraph fresh() {
    return MixedBarlowTwinsNetwork.featureExtractor(settings.network);
  }

  @Test
  void runFolderTakesTheNewestCompleteEpochAndAnEpochFolderIsTakenAsGiven() throws IOException {
    Path run = copyRun("pointer");
    assertEquals(0, export("--checkpoint", run.toString(), "--output", dir.resolve("p-latest").toString()).code());
    assertEquals(2, manifest("p-latest").at("/source/epoch").asInt());
    assertEquals("LATEST", manifest("p-latest").at("/source/selected_by").asText());
    // A stale LATEST (a crash between an epoch folder's rename and the pointer's) costs nothing, as for a resume;
    // nor does an unreadable one (rewritten behind Hadoop's back, its checksum no longer matches).
    Files.writeString(run.resolve(ExportSource.LATEST), "epoch-0001\n");
    assertEquals(0, export("--checkpoint", run.toString(), "--output", dir.resolve("p-crc").toString()).code());
    assertEquals(2, manifest("p-crc").at("/source/epoch").asInt());
    Files.deleteIfExists(run.resolve("." + ExportSource.LATEST + ".crc"));
    assertEquals(0, export("--checkpoint", run.toString(), "--output", dir.resolve("p-stale").toString()).code());
    assertEquals(2, manifest("p-stale").at("/source/epoch").asInt());
    assertEquals("newest complete epoch folder", manifest("p-stale").at("/source/selected_by").asText());
    Files.delete(run.resolve(ExportSource.LATEST));
    Files.deleteIfExists(run.resolve("." + ExportSource.LATEST + ".crc"));
    assertEquals(0, export("--checkpoint", run.toString(), "--output", dir.resolve("p-none").toString()).code());
    assertEquals(2, manifest("p-none").at("/source/epoch").asInt());
    // An incomplete newest folder (its writer died, or a file was lost) is skipped.
    delete(run.resolve("epoch-0002"), "config.conf");
    Result older = export("--checkpoint", run.toString(), "--output", dir.resolve("p-older").toString());
    assertEquals(0, older.code(), older.err());
    assertEquals(1, manifest("p-older").at("/source/epoch").asInt());
    Result given = export("--checkpoint", "file://" + run.resolve("epoch-0001"), "--output",
        "file://" + dir.resolve("p-given"));
    assertEquals(0, given.code(), given.err());
    assertEquals("given", manifest("p-given").at("/source/selected_by").asText());
    assertEquals(1, manifest("p-given").at("/metrics/epoch").asInt());
  }

  private static JsonNode manifest(String output) throws IOException {
    return new ObjectMapper().readTree(dir.resolve(output).resolve("export.json").toFile());
  }

  private static Path copyRun(String name) throws IOException {
    Path copy = dir.resolve("runs-" + name).resolve(RUN);
    FileUtils.copyDirectory(root.resolve(RUN).toFile(), copy.toFile());
    return copy;
  }

  /** Damages epoch 2 of a copy of the run, exports that epoch folder, expects exit 3 naming the damaged file. */
  private void assertBadInput(String name, Damage damage, String expectedMessage) throws IOException {
    assertBadInput(name, damage, expectedMessage, false);
  }

  /** As above; {@code runFolder}: export the run folder instead. */
  private void assertBadInput(String name, Damage damage, String expectedMessage, boolean runFolder)
      throws IOException {
    Path run = copyRun(name);
    Path epoch = run.resolve("epoch-0002");
    Path named = damage.apply(run, epoch);
    Path out = dir.resolve("bad-" + name);
    Result r = export("--checkpoint", (runFolder ? run : epoch).toString(), "--output", out.toString());
    assertEquals(3, r.code(), r.err());
    String message = r.err().strip();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.startsWith("Error: Cannot export checkpoint") && message.contains(named.toString()), message);
    assertTrue(message.contains(expectedMessage), message);
    assertFalse(Files.exists(out), "nothing written for " + name);
    try (Stream<Path> left = Files.list(dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("bad-" + name + "._tmp")), "no temp left");
    }
  }

  private interface Damage {
    /** Damages the run; returns the path the error must name. */
    Path apply(Path run, Path epoch) throws IOException;
  }

  @Test
  void everyBadCheckpointIsOneLineNamingTheFile() throws IOException {
    assertBadInput("no-model", (run, epoch) -> delete(epoch, "model.zip"), "model.zip is missing");
    assertBadInput("no-config", (run, epoch) -> delete(epoch, "config.conf"), "config.conf is missing");
    assertBadInput("no-metrics", (run, epoch) -> delete(epoch, "metrics.jsonl"), "metrics.jsonl is missing");
    assertBadInput("garbage-model", (run, epoch) -> replace(epoch, "model.zip", "not a zip".getBytes()),
        "cannot load");
    assertBadInput("truncated-model", (run, epoch) -> {
      byte[] zip = Files.readAllBytes(epoch.resolve("model.zip"));
      return replace(epoch, "model.zip", java.util.Arrays.copyOf(zip, zip.length / 2));
    }, "cannot load");
    // With Hadoop's checksum file kept, the local file system itself notices the damage.
    assertBadInput("flipped-model-with-crc", (run, epoch) -> {
      byte[] zip = Files.readAllBytes(epoch.resolve("model.zip"));
      zip[zip.length / 2] ^= 0x55;
      Files.write(epoch.resolve("model.zip"), zip);
      return epoch.resolve("model.zip");
    }, "cannot load");
    assertBadInput("bad-config", (run, epoch) -> replace(epoch, "config.conf", "mixbt { model { arch = vgg } }".getBytes()),
        "mixbt.model.arch");
    assertBadInput("unknown-key", (run, epoch) -> replace(epoch, "config.conf", "mixbt.no-such-key = 1".getBytes()),
        "unknown key(s): mixbt.no-such-key");
    assertBadInput("bad-metrics", (run, epoch) -> replace(epoch, "metrics.jsonl", "{\"epoch\":1}\nnot json\n".getBytes()),
        "line 2 is not a JSON object");
    assertBadInput("empty-metrics", (run, epoch) -> replace(epoch, "metrics.jsonl", "\n".getBytes()), "no metrics line");
    assertBadInput("wrong-config", (run, epoch) -> replace(epoch, "config.conf",
        ExportFixtures.settings(RUN, "mixbt.model.base-width = 8").render().getBytes()),
        "does not hold the network");
    // Through the run folder: a corrupt newest checkpoint is an error, not a silent step back to an older one.
    assertBadInput("garbage-model-run", (run, epoch) -> replace(epoch, "model.zip", "not a zip".getBytes()),
        "cannot load", true);
    assertBadInput("none-complete", (run, epoch) -> {
      delete(run.resolve("epoch-0001"), "config.conf");
      delete(epoch, "config.conf");
      return epoch;
    }, "no complete epoch folder; the newest, file:" + dir.resolve("runs-none-complete/" + RUN + "/epoch-0002")
        + ", lacks config.conf", true);
    assertBadInput("no-epochs", (run, epoch) -> {
      FileUtils.deleteDirectory(run.resolve("epoch-0001").toFile());
      FileUtils.deleteDirectory(epoch.toFile());
      return run;
    }, "no checkpoint there", true);
  }

  @Test
  void aMissingPathOrAFileIsNoCheckpoint() throws IOException {
    Path missing = dir.resolve("no-such-run");
    Result r = export("--checkpoint", missing.toString(), "--output", dir.resolve("x1").toString());
    assertEquals(3, r.code(), r.err());
    assertEquals("Error: Cannot export checkpoint file:" + missing + ": no such folder", r.err().strip());
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Result f = export("--checkpoint", file.toString(), "--output", dir.resolve("x2").toString());
    assertEquals(3, f.code(), f.err());
    assertTrue(f.err().contains(file.toString()) && f.err().contains("not a folder"), f.err());
  }

  private static Path delete(Path folder, String name) throws IOException {
    Files.delete(folder.resolve(name));
    Files.deleteIfExists(folder.resolve("." + name + ".crc"));
    return folder.resolve(name);
  }

  private static Path replace(Path folder, String name, byte[] bytes) throws IOException {
    Files.deleteIfExists(folder.resolve("." + name + ".crc"));
    Files.write(folder.resolve(name), bytes);
    return folder.resolve(name);
  }

  @Test
  void usageErrorsExitTwoAndAnExistingOutputNeedsOverwrite() throws IOException {
    assertEquals(2, export().code());
    Result unknown = export("--checkpoint", "x", "--output", "y", "--force");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("Error: unknown argument: --force\nusage: ExportJob"), unknown.err());
    assertTrue(export("--checkpoint", "x").err().startsWith("Error: missing --output"));
    assertTrue(export("--output", "y", "--checkpoint").err().startsWith("Error: missing value after --checkpoint"));
    Result help = export("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().startsWith("usage: ExportJob"), help.out());

    Path out = Files.createDirectories(dir.resolve("existing"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    Result refused = export("--checkpoint", root.resolve(RUN).toString(), "--output", out.toString());
    assertEquals(2, refused.code(), refused.err());
    assertEquals("Error: Cannot export to " + out + ": it exists (use --overwrite to replace it)", refused.err().strip());
    assertTrue(Files.exists(out.resolve("keep.txt")));
    Result replaced = export("--checkpoint", root.resolve(RUN).toString(), "--output", out.toString(), "--overwrite");
    assertEquals(0, replaced.code(), replaced.err());
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertTrue(Files.exists(out.resolve("export.json")));
    try (Stream<Path> left = Files.list(dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("existing.")), "no temp or old folder left");
    }
  }
}
