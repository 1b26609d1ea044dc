package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/**
 * CIFAR-10/100 (binary and python distributions) and STL-10 fixtures in the publishers' formats, converted with
 * SparkShardWriter on a local[2] session and read back with Spark: pixel-exact against the fixture formulas.
 */
class ArchiveSourcesIT {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("ArchiveSourcesIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void cifar10BinaryArchiveRoundTrip() throws IOException {
    Path archive = ArchiveFixtures.tarGz(tmp.resolve("cifar-10-binary.tar.gz"), ArchiveFixtures.cifar10BinaryMembers());
    ShardStore store = write(new CifarBinarySource(archive, "cifar-10", QUIET), "c10-bin");
    ShardManifest m = store.manifest();
    assertEquals("cifar-10", m.dataset());
    assertEquals(ArchiveFixtures.CIFAR10_NAMES, m.classNames());
    assertEquals(List.of(), m.coarseClassNames());
    assertEquals(new ShardManifest.ImageShape(32, 32, 3), m.shape());
    assertEquals(13, m.splits().get("train").records());
    assertEquals(4, m.splits().get("test").records());
    assertEquals(List.of("cifar-10-binary.tar.gz"), sourceNames(m, "train"));
    Map<Long, Row> train = read(store, "train");
    long id = 0;
    for (int b = 1; b <= 5; b++) {
      for (int r = 0; r < ArchiveFixtures.CIFAR10_BATCHES[b - 1]; r++, id++) {
        Row row = train.get(id);
        assertEquals("data_batch_" + b + ".bin[" + r + "]", row.getAs(ShardSchema.SOURCE));
        assertEquals(ArchiveFixtures.cifar10Label(b, r), row.<Integer>getAs(ShardSchema.LABEL));
        assertEquals(ShardSchema.UNLABELED, row.<Integer>getAs(ShardSchema.COARSE_LABEL));
        assertArrayEquals(ArchiveFixtures.hwc(b, r), row.getAs(ShardSchema.PIXELS), "pixels of train " + id);
      }
    }
    Map<Long, Row> test = read(store, "test");
    for (int r = 0; r < ArchiveFixtures.CIFAR10_TEST; r++) {
      assertArrayEquals(ArchiveFixtures.hwc(6, r), test.get((long) r).getAs(ShardSchema.PIXELS));
      assertEquals(ArchiveFixtures.cifar10Label(6, r), test.get((long) r).<Integer>getAs(ShardSchema.LABEL));
    }
  }

  @Test
  void cifar100PythonArchiveRoundTripWithCoarseLabels() throws IOException {
    ShardStore store = write(new CifarPythonSource(ArchiveFixtures.pythonFixture("cifar-100-python.tar.gz"),
        "cifar-100", QUIET), "c100-py");
    ShardManifest m = store.manifest();
    assertEquals("cifar-100", m.dataset());
    assertEquals(ArchiveFixtures.resourceNames("fine_label_names"), m.classNames());
    assertEquals(ArchiveFixtures.resourceNames("coarse_label_names"), m.coarseClassNames());
    assertEquals("apple", m.classNames().get(0));
    assertEquals("vehicles_2", m.coarseClassNames().get(19));
    assertEquals(List.of("cifar-100-python.tar.gz"), sourceNames(m, "test"));
    for (var split : Map.of("train", new int[] {11, ArchiveFixtures.CIFAR100_TRAIN},
        "test", new int[] {12, ArchiveFixtures.CIFAR100_TEST}).entrySet()) {
      int seed = split.getValue()[0];
      Map<Long, Row> rows = read(store, split.getKey());
      assertEquals(split.getValue()[1], rows.size());
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get((long) r);
        assertEquals(ArchiveFixtures.cifar100Fine(seed, r), row.<Integer>getAs(ShardSchema.LABEL));
        assertEquals(ArchiveFixtures.cifar100Coarse(seed, r), row.<Integer>getAs(ShardSchema.COARSE_LABEL));
        assertArrayEquals(ArchiveFixtures.hwc(seed, r), row.getAs(ShardSchema.PIXELS));
        assertEquals(split.getKey() + "[" + r + "]", row.getAs(ShardSchema.SOURCE));
      }
    }
  }

  @Test
  void bothDistributionsAndTheExtractedFoldersGiveTheSameRecords() throws IOException {
    Path c10bin = ArchiveFixtures.tarGz(tmp.resolve("same/cifar-10-binary.tar.gz"), ArchiveFixtures.cifar10BinaryMembers());
    Path c100bin = ArchiveFixtures.extract(tmp.resolve("same/c100"), ArchiveFixtures.cifar100BinaryMembers());
    Path c10py = ArchiveFixtures.extract(tmp.resolve("same/c10py"),
        ArchiveFixtures.readTarGz(ArchiveFixtures.pythonFixture("cifar-10-python.tar.gz")));
    List<ImageSource[]> pairs = List.of(
        new ImageSource[] {new CifarBinarySource(c10bin, "cifar-10", QUIET),
            new CifarPythonSource(ArchiveFixtures.pythonFixture("cifar-10-python.tar.gz"), "cifar-10", QUIET)},
        new ImageSource[] {new CifarBinarySource(c10bin, "cifar-10", QUIET),
            new CifarPythonSource(c10py.resolve("cifar-10-batches-py"), "cifar-10", QUIET)},
        new ImageSource[] {new CifarBinarySource(c100bin, "cifar-100", QUIET),
            new CifarPythonSource(ArchiveFixtures.pythonFixture("cifar-100-python.tar.gz"), "cifar-100", QUIET)});
    for (ImageSource[] pair : pairs) {
      assertEquals(pair[0].classNames(), pair[1].classNames());
      assertEquals(pair[0].coarseClassNames(), pair[1].coarseClassNames());
      for (String split : List.of("train", "test")) {
        List<ShardRecord> a = pair[0].read(split);
        List<ShardRecord> b = pair[1].read(split);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          // Equal in everything but the source file name (".bin" or not).
          assertEquals(a.get(i), withSource(b.get(i), a.get(i).source()), pair[0].dataset() + " " + split + " " + i);
          assertEquals(a.get(i).source(), b.get(i).source().replaceFirst("\\[", ".bin["));
        }
      }
    }
    assertEquals(List.of(c100bin.resolve("cifar-100-binary/train.bin")), pairs.get(2)[0].sourceFiles("train"));
  }

  @Test
  void stl10AllSplitsAndTheUnion() throws IOException {
    Path archive = ArchiveFixtures.tarGz(tmp.resolve("stl10_binary.tar.gz"), ArchiveFixtures.stlMembers());
    ShardStore store = write(new Stl10Source(archive, QUIET), "stl");
    ShardManifest m = store.manifest();
    assertEquals("stl-10", m.dataset());
    assertEquals(ArchiveFixtures.STL_NAMES, m.classNames());
    assertEquals(new ShardManifest.ImageShape(96, 96, 3), m.shape());
    assertEquals(List.of("train", "test", "unlabeled", "train+unlabeled"), new ArrayList<>(m.splits().keySet()));
    assertEquals(List.of(4L, 3L, 5L, 9L), m.splits().values().stream().map(s -> (long) s.records()).toList());
    assertStl(read(store, "train"), 21, 0, 4, true);
    assertStl(read(store, "test"), 22, 0, 3, true);
    assertStl(read(store, "unlabeled"), 23, 0, 5, false);
    Map<Long, Row> union = read(store, "train+unlabeled");
    assertStl(union, 21, 0, 4, true);
    assertStl(union, 23, 4, 5, false);
  }

  // ---- helpers

  @Test
  void cifarAndStl10CommandsRunThroughTheCommandLine() throws IOException {
    Path c100 = ArchiveFixtures.tarGz(tmp.resolve("cli-cifar-100-binary.tar.gz"), ArchiveFixtures.cifar100BinaryMembers());
    Path out = tmp.resolve("cli-c100");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, PrepJob.run(new String[] {"cifar", "--input", c100.toString(), "--dataset", "cifar-100",
        "--output", out.toString(), "--shards", "2"}, QUIET, errStream), err.toString());
    ShardManifest m = ShardStore.open(out.toString(), new Configuration()).manifest();
    assertEquals("cifar-100", m.dataset());
    assertEquals(20, m.coarseClassNames().size());

    Path stl = ArchiveFixtures.tarGz(tmp.resolve("cli-stl10_binary.tar.gz"), ArchiveFixtures.stlMembers());
    assertEquals(0, PrepJob.run(new String[] {"stl10", "--input", stl.toString(), "--output",
        tmp.resolve("cli-stl").toString()}, QUIET, errStream), err.toString());
    assertEquals(List.of("train", "test", "unlabeled", "train+unlabeled"), new ArrayList<>(
        ShardStore.open(tmp.resolve("cli-stl").toString(), new Configuration()).manifest().splits().keySet()));

    err.reset();
    assertEquals(2, PrepJob.run(new String[] {"cifar", "--input", c100.toString(), "--dataset", "cifar-7",
        "--output", tmp.resolve("cli-bad").toString()}, QUIET, errStream));
    assertEquals(true, err.toString().contains("--dataset"), err.toString());
    err.reset();
    // The CIFAR-100 archive read as CIFAR-10: its members are missing, a data error (3) named before Spark work.
    assertEquals(3, PrepJob.run(new String[] {"cifar", "--input", c100.toString(), "--dataset", "cifar-10",
        "--output", tmp.resolve("cli-bad").toString()}, QUIET, errStream), err.toString());
    assertEquals(true, err.toString().contains("cli-cifar-100-binary.tar.gz"), err.toString());
    assertEquals(false, java.nio.file.Files.exists(tmp.resolve("cli-bad")));
  }

  static void assertStl(Map<Long, Row> rows, int seed, long firstId, int count, boolean labelled) {
    String file = seed == 21 ? "train_X.bin" : seed == 22 ? "test_X.bin" : "unlabeled_X.bin";
    for (int i = 0; i < count; i++) {
      Row row = rows.get(firstId + i);
      assertEquals(labelled ? ArchiveFixtures.stlLabel(seed, i) - 1 : -1, row.<Integer>getAs(ShardSchema.LABEL));
      assertEquals(-1, row.<Integer>getAs(ShardSchema.COARSE_LABEL));
      assertEquals(file + "[" + i + "]", row.getAs(ShardSchema.SOURCE));
      assertArrayEquals(ArchiveFixtures.stlHwc(seed, i), row.getAs(ShardSchema.PIXELS), file + " " + i);
    }
  }

  static ShardRecord withSource(ShardRecord r, String source) {
    return new ShardRecord(r.id(), r.label(), r.coarseLabel(), r.encoding(), r.bytes(), r.height(), r.width(),
        r.channels(), source);
  }

  static ShardStore write(ImageSource source, String name) throws IOException {
    Path out = tmp.resolve(name);
    new SparkShardWriter(spark, 2, 7, false, "test").write(source, out.toString());
    ShardStore store = ShardStore.open(out.toString(), new Configuration());
    store.verify();
    return store;
  }

  static List<String> sourceNames(ShardManifest m, String split) {
    return m.splits().get(split).sourceFiles().stream().map(ShardManifest.SourceFile::name).toList();
  }

  static Map<Long, Row> read(ShardStore store, String split) {
    String[] paths = store.shardPaths(split).stream().map(Object::toString).toArray(String[]::new);
    Map<Long, Row> byId = new HashMap<>();
    for (Row row : spark.read().parquet(paths).collectAsList()) {
      assertEquals(null, byId.put(row.<Long>getAs(ShardSchema.ID), row), "duplicate id");
    }
    return byId;
  }
}
