package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.data.idx.IdxFixtures;
import org.mixbt.core.data.idx.IdxReader;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/** PrepJob end to end on a shared local[2] SparkSession: tiny IDX fixtures and the real Fashion-MNIST. */
class PrepJobIT {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
  /**
   * Mean and population std of pixel/255 over all Fashion-MNIST train pixels, computed once with python3:
   * {@code d=gzip.open('train-images-idx3-ubyte.gz').read()[16:]; m=sum(d)/len(d)/255;
   * s=(sum(b*b for b in d)/len(d)/255**2-m*m)**0.5}.
   */
  static final double FASHION_TRAIN_MEAN = 0.2860405969887955;
  static final double FASHION_TRAIN_STD = 0.3530242445149226;

  static SparkSession spark;
  @TempDir static Path tmp;
  static IdxFixtures.Images train = IdxFixtures.random(50, 5, 4, 10, 11);
  static IdxFixtures.Images test = IdxFixtures.random(20, 5, 4, 10, 12);
  static Path fixtureDir;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkSession.builder().master("local[2]").appName("PrepJobIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    fixtureDir = tmp.resolve("idx");
    IdxFixtures.writeSplit(fixtureDir, "train", train, true);
    IdxFixtures.writeSplit(fixtureDir, "t10k", test, false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void fixtureRoundTripIsPixelExact() throws IOException {
    Path out = tmp.resolve("fixture-out");
    assertEquals(0, prep(fixtureDir, out, "--shards", "3", "--seed", "7").code);
    ShardStore store = ShardStore.open(out.toString(), new Configuration());
    ShardManifest m = store.manifest();
    assertEquals(ShardManifest.FORMAT_VERSION, m.formatVersion());
    assertEquals("mnist", m.dataset());
    assertEquals(new ShardManifest.ImageShape(5, 4, 1), m.shape());
    assertEquals(7, m.shuffleSeed());
    assertEquals(List.of("train", "test"), new ArrayList<>(m.splits().keySet()));
    assertEquals(50, m.splits().get("train").records());
    assertEquals(3, m.splits().get("train").shards().size());
    assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        m.splits().get("train").sourceFiles().stream().map(ShardManifest.SourceFile::name).collect(Collectors.toList()));
    store.verify();
    assertSameRecords(train, read(store, "train"));
    assertSameRecords(test, read(store, "test"));
    List<Long> trainIds = idsInShardOrder(store, "train");
    assertNotEquals(sorted(trainIds), trainIds, "records are shuffled before sharding");
    // Statistics recomputed directly from the fixture.
    double sum = 0;
    double sumSq = 0;
    for (byte[] image : train.images()) {
      for (byte b : image) {
        double v = (b & 0xFF) / 255.0;
        sum += v;
        sumSq += v * v;
      }
    }
    double n = 50 * 20;
    assertEquals(sum / n, m.normalization().mean().get(0), 1e-12);
    assertEquals(Math.sqrt(sumSq / n - (sum / n) * (sum / n)), m.normalization().std().get(0), 1e-12);
    try (Stream<Path> files = Files.walk(out)) {
      List<String> names = files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted()
          .collect(Collectors.toList());
      assertEquals(List.of("manifest.json", "test/shard-00000.parquet", "test/shard-00001.parquet",
          "test/shard-00002.parquet", "train/shard-00000.parquet", "train/shard-00001.parquet",
          "train/shard-00002.parquet"), names);
    }
    assertNoTempDirs();
  }

  @Test
  void rerunIsByteIdenticalAndNeedsOverwrite() throws IOException {
    Path out = tmp.resolve("rerun-out");
    assertEquals(0, prep(fixtureDir, out, "--shards", "2").code);
    String first = Files.readString(out.resolve("manifest.json"));
    Result refused = prep(fixtureDir, out, "--shards", "2");
    assertEquals(2, refused.code);
    assertTrue(refused.err.contains("Cannot write shards to file:" + out + ": output exists: pass --overwrite"),
        refused.err);
    assertEquals(first, Files.readString(out.resolve("manifest.json")));
    assertEquals(0, prep(fixtureDir, out, "--shards", "2", "--overwrite").code);
    assertEquals(first, Files.readString(out.resolve("manifest.json")), "same sha256 for every shard");
    // Across JVMs too: parquet-mr writes a chunk's encodings in HashSet order (enum identity hashes),
    // so byte identity needs exactly one encoding per column chunk.
    for (String split : List.of("train", "test")) {
      for (String shard : paths(ShardStore.open(out.toString(), new Configuration()), split)) {
        try (ParquetFileReader reader = ParquetFileReader.open(
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(shard), new Configuration()))) {
          for (BlockMetaData block : reader.getFooter().getBlocks()) {
            for (ColumnChunkMetaData column : block.getColumns()) {
              assertEquals(1, column.getEncodings().size(), shard + " " + column.getPath() + " " + column.getEncodings());
            }
          }
        }
      }
    }
    ShardStore.open(out.toString(), new Configuration()).verify();
    Path other = tmp.resolve("rerun-other-seed");
    assertEquals(0, prep(fixtureDir, other, "--shards", "2", "--seed", "1").code);
    assertNotEquals(ShardStore.open(other.toString(), new Configuration()).manifest().splits().get("train").shards(),
        ShardStore.open(out.toString(), new Configuration()).manifest().splits().get("train").shards());
    assertNoTempDirs();
  }

  @Test
  void overwriteRefusesAnythingButAShardRoot() throws IOException {
    Path out = tmp.resolve("not-shards");
    Files.createDirectories(out.resolve("raw"));
    Files.writeString(out.resolve("notes.txt"), "precious");
    Result refused = prep(fixtureDir, out, "--shards", "2", "--overwrite");
    assertEquals(2, refused.code);
    assertTrue(refused.err.contains("Cannot overwrite file:" + out + ": not a shard root (no manifest.json)"),
        refused.err);
    assertEquals("precious", Files.readString(out.resolve("notes.txt")));
    assertTrue(Files.isDirectory(out.resolve("raw")));
    assertNoTempDirs();
  }

  @Test
  void verifyCatchesAFlippedByte() throws IOException {
    Path out = tmp.resolve("flip-out");
    assertEquals(0, prep(fixtureDir, out, "--shards", "2").code);
    ShardStore store = ShardStore.open(out.toString(), new Configuration());
    store.verify();
    Path shard = out.resolve("test/shard-00001.parquet");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(shard, bytes);
    ShardFormatException e = assertThrows(ShardFormatException.class, store::verify);
    String expected = store.manifest().splits().get("test").shards().get(1).sha256();
    assertTrue(e.getMessage().startsWith("Cannot verify shard file:" + shard + ": sha256 mismatch: manifest "
        + expected + ", file "), e.getMessage());
    assertFalse(e.getMessage().endsWith(expected));
  }

  @Test
  void failedRunLeavesNothingBehind() throws IOException {
    Path bad = tmp.resolve("idx-bad");
    IdxFixtures.writeSplit(bad, "train", train, false);
    byte[] full = IdxFixtures.imagesBytes(test);
    IdxFixtures.write(bad.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(full, full.length - 5), false);
    IdxFixtures.write(bad.resolve("t10k-labels-idx1-ubyte"), IdxFixtures.labelsBytes(test.labels()), false);
    Path out = tmp.resolve("failed-out");
    // The train split is written with Spark before the test split's truncation is found.
    Result r = prep(bad, out);
    assertEquals(3, r.code);
    assertEquals(1, r.err.lines().count(), r.err);
    assertTrue(r.err.contains("Cannot read " + bad.resolve("t10k-images-idx3-ubyte")
        + ": truncated: expected 400 pixel bytes, found 395"), r.err);
    assertFalse(Files.exists(out));
    assertNoTempDirs();
    // A failed --overwrite keeps the old output untouched.
    Path kept = tmp.resolve("kept-out");
    assertEquals(0, prep(fixtureDir, kept).code);
    String before = Files.readString(kept.resolve("manifest.json"));
    assertEquals(3, prep(bad, kept, "--overwrite").code);
    assertEquals(before, Files.readString(kept.resolve("manifest.json")));
    ShardStore.open(kept.toString(), new Configuration()).verify();
    assertNoTempDirs();
    // A missing file is found before anything is written.
    Files.delete(bad.resolve("t10k-labels-idx1-ubyte"));
    Result missing = prep(bad, out);
    assertEquals(3, missing.code);
    assertTrue(missing.err.contains("Cannot read " + bad.resolve("t10k-labels-idx1-ubyte.gz")
        + ": missing file: neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte in " + bad), missing.err);
    assertFalse(Files.exists(out));
    assertNoTempDirs();
  }

  @Test
  void helpAndBadArguments() {
    Result help = run("--help");
    assertEquals(0, help.code);
    assertTrue(help.out.startsWith("Usage: PrepJob <command> [options]"), help.out);
    // One line per command, in registry order: every source of the issue and verify.
    List<String> listed = help.out.lines().filter(l -> l.startsWith("  ")).map(l -> l.trim().split(" +")[0])
        .collect(Collectors.toList());
    assertEquals(List.of("idx", "cifar", "stl10", "tiny-imagenet", "imagefolder", "imagenet-train", "dtd", "cub200",
        "flowers102", "gtsrb", "fgvc-aircraft", "verify"), listed, help.out);
    assertTrue(help.out.contains("\n  verify          re-read a shard root"), help.out);
    Result idxHelp = run("idx", "--help");
    assertEquals(0, idxHelp.code);
    assertTrue(idxHelp.out.startsWith("Usage: PrepJob idx --input DIR --dataset NAME --output PATH [--shards N] [--seed S]"
        + " [--overwrite] [--master URL]\n"), idxHelp.out);
    assertTrue(idxHelp.out.contains("  --shards N      Parquet shards per split (default 4)\n"), idxHelp.out);
    assertEquals(2, run().code);
    Result bad = run("idx", "--input", "x", "--output", "y", "--dataset", "mnist", "--shards", "zero");
    assertEquals(2, bad.code);
    assertEquals("Error: not an integer for --shards: zero (see PrepJob idx --help)\n", bad.err);
    assertEquals(2, run("idx", "--input", "x", "--dataset", "mnist").code);
    Result unknown = run("svhn");
    assertEquals(2, unknown.code);
    assertEquals("Error: unknown command: svhn (known: idx, cifar, stl10, tiny-imagenet, imagefolder, imagenet-train,"
        + " dtd, cub200, flowers102, gtsrb, fgvc-aircraft, verify) (see PrepJob --help)\n", unknown.err);
    assertEquals(2, run("idx", "--input", "x", "--output", "y", "--dataset", "mnist", "--bogus").code);
    Result unknownDataset = run("idx", "--input", fixtureDir.toString(), "--output", tmp.resolve("u").toString(),
        "--dataset", "kmnist");
    assertEquals(2, unknownDataset.code);
    assertTrue(unknownDataset.err.contains("unknown value for --dataset: kmnist (known: fashion-mnist, mnist)"),
        unknownDataset.err);
    Result missingDir = run("idx", "--input", tmp.resolve("nowhere").toString(), "--output",
        tmp.resolve("u").toString(), "--dataset", "mnist");
    assertEquals(3, missingDir.code);
    assertEquals("Error: Cannot read " + tmp.resolve("nowhere") + ": missing input directory: no such directory\n",
        missingDir.err);
    assertFalse(Files.exists(tmp.resolve("u")));
  }

  @Test
  void realFashionMnist() throws IOException {
    Path out = tmp.resolve("fashion-out");
    Result r = run("idx", "--input", FASHION.toString(), "--output", out.toString(), "--dataset", "fashion-mnist");
    assertEquals(0, r.code, r.err);
    assertEquals("train: 60000 records in 4 shards\ntest: 10000 records in 4 shards\n", r.out);
    ShardStore store = ShardStore.open(out.toString(), new Configuration());
    ShardManifest m = store.manifest();
    assertEquals("Ankle boot", m.classNames().get(9));
    assertEquals(new ShardManifest.ImageShape(28, 28, 1), m.shape());
    assertEquals(FASHION_TRAIN_MEAN, m.normalization().mean().get(0), 1e-12);
    assertEquals(FASHION_TRAIN_STD, m.normalization().std().get(0), 1e-12);
    assertEquals(26421856, m.splits().get("train").sourceFiles().get(0).sizeBytes());
    store.verify();
    Map<Long, Row> rows = read(store, "test");
    assertEquals(10000, rows.size());
    try (IdxReader reader = IdxReader.open(FASHION.resolve("t10k-images-idx3-ubyte.gz"),
        FASHION.resolve("t10k-labels-idx1-ubyte.gz"))) {
      while (reader.hasNext()) {
        ImageRecord rec = reader.next();
        Row row = rows.get(rec.id());
        assertEquals(rec.label(), row.<Integer>getAs(ShardSchema.LABEL));
        assertArrayEquals(rec.pixels(), row.<byte[]>getAs(ShardSchema.PIXELS), "pixels of test image " + rec.id());
      }
    }
    assertEquals(60000L, spark.read().parquet(paths(store, "train")).count());
  }

  // ---- helpers

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PrepJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result prep(Path input, Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("idx", "--input", input.toString(), "--output", output.toString(),
        "--dataset", "mnist", "--master", "local[2]"));
    args.addAll(List.of(more));
    return run(args.toArray(new String[0]));
  }

  static String[] paths(ShardStore store, String split) {
    return store.shardPaths(split).stream().map(Object::toString).toArray(String[]::new);
  }

  static Map<Long, Row> read(ShardStore store, String split) {
    Map<Long, Row> byId = new HashMap<>();
    for (Row row : spark.read().parquet(paths(store, split)).collectAsList()) {
      assertEquals(null, byId.put(row.<Long>getAs(ShardSchema.ID), row), "duplicate id");
    }
    return byId;
  }

  static List<Long> idsInShardOrder(ShardStore store, String split) {
    List<Long> ids = new ArrayList<>();
    for (String path : paths(store, split)) {
      spark.read().parquet(path).collectAsList().forEach(r -> ids.add(r.<Long>getAs(ShardSchema.ID)));
    }
    return ids;
  }

  static List<Long> sorted(List<Long> ids) {
    return ids.stream().sorted().collect(Collectors.toList());
  }

  static void assertSameRecords(IdxFixtures.Images expected, Map<Long, Row> rows) {
    assertEquals(expected.count(), rows.size());
    for (int i = 0; i < expected.count(); i++) {
      Row row = rows.get((long) i);
      assertEquals(expected.labels()[i], row.<Integer>getAs(ShardSchema.LABEL));
      assertArrayEquals(expected.images()[i], row.<byte[]>getAs(ShardSchema.PIXELS));
      assertEquals(5, row.<Integer>getAs(ShardSchema.HEIGHT));
      assertEquals(4, row.<Integer>getAs(ShardSchema.WIDTH));
      assertEquals(1, row.<Integer>getAs(ShardSchema.CHANNELS));
    }
  }

  static void assertNoTempDirs() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      List<String> leftovers = files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains("._tmp-") || n.contains("._old-")).collect(Collectors.toList());
      assertEquals(List.of(), leftovers);
    }
  }
}
