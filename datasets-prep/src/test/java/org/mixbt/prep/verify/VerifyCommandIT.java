package org.mixbt.prep.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.idx.IdxFixtures;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;
import org.mixbt.prep.PrepJob;
import org.mixbt.prep.SparkShardWriter;

/**
 * {@code PrepJob verify} on shards written by the real prep job, then damaged on disk: flipped bytes,
 * a deleted shard, edited manifest counts, and shards rewritten with rows breaking each rule (with the
 * manifest's sha256 updated, so the row checks, not the hash, must catch them).
 */
class VerifyCommandIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static Path clean;
  static int copies;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkSession.builder().master("local[2]").appName("VerifyCommandIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    Path idx = tmp.resolve("idx");
    IdxFixtures.writeSplit(idx, "train", IdxFixtures.random(50, 5, 4, 10, 11), true);
    IdxFixtures.writeSplit(idx, "t10k", IdxFixtures.random(20, 5, 4, 10, 12), false);
    clean = tmp.resolve("clean");
    Result r = run("idx", "--input", idx.toString(), "--output", clean.toString(), "--dataset", "mnist", "--shards",
        "2", "--master", "local[2]");
    assertEquals(0, r.code, r.err);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void cleanRootPassesWithASummaryPerSplit() {
    Result r = run("verify", "--input", clean.toString());
    assertEquals(0, r.code, r.err);
    String[] lines = r.out.split("\n");
    assertTrue(lines[0].matches("train: 50 records in 2 shards \\([0-9.]+ MB\\), labels [0-9]\\.\\.[0-9], sizes 5x4: ok"),
        lines[0]);
    assertTrue(lines[1].startsWith("test: 20 records in 2 shards"), lines[1]);
    assertEquals("verified file:" + clean + ": 2 splits, 70 records, all consistent with manifest.json", lines[2]);
    assertEquals("", r.err);
  }

  @Test
  void aFlippedByteAnywhereIsCaughtBySha256() throws IOException {
    byte[] original = Files.readAllBytes(clean.resolve("test/shard-00001.parquet"));
    for (long at : List.of(0L, middleOfPixelPage(clean.resolve("test/shard-00001.parquet")), footer(original))) {
      Path root = copy();
      Path shard = flip(root.resolve("test/shard-00001.parquet"), at);
      Result r = run("verify", "--input", root.toString());
      assertEquals(3, r.code, "flip at " + at);
      assertTrue(r.err.startsWith("Error: Cannot verify shard file:" + shard + ": sha256 mismatch: manifest "), r.err);
      assertEquals(1, r.err.lines().count());
    }
  }

  @Test
  void aDamagedMagicBehindAnUpdatedHashIsStillCaught() throws IOException {
    // Parquet readers look only at the trailing magic; verify checks the leading one too. (Damage inside the
    // v2 data pages our writer uses is found by sha256 only: parquet-mr 1.13 checks page CRCs of v1 pages.)
    Path root = copy();
    Path shard = flip(root.resolve("test/shard-00001.parquet"), 0);
    rehash(root, "test", 1, shard);
    assertError(root, "Cannot verify shard file:" + shard + ": not a Parquet file: leading bytes 51415231 instead of PAR1");
  }

  @Test
  void aDeletedShardOrAStrayFileIsNamed() throws IOException {
    Path root = copy();
    Files.delete(root.resolve("train/shard-00001.parquet"));
    assertError(root, "Cannot verify shard file:" + root.resolve("train/shard-00001.parquet")
        + ": missing file: listed in manifest");
    Path stray = copy();
    Files.writeString(stray.resolve("test/shard-00002.parquet"), "left over");
    assertError(stray, "Cannot verify split test of file:" + stray + ": file not listed in the manifest: shard-00002.parquet");
  }

  @Test
  void editedManifestCountsAreCaught() throws IOException {
    Path root = copy();
    editManifest(root, m -> withShard(m, "train", 0, s -> s, 1, 1));
    assertError(root, "Cannot verify shard file:" + root.resolve("train/shard-00000.parquet")
        + ": row count differs from the manifest's 26: 25");
    Path inconsistent = copy();
    editManifest(inconsistent, m -> withShard(m, "train", 0, s -> s, 0, 1));
    assertError(inconsistent, "Cannot read manifest file:" + inconsistent.resolve("manifest.json")
        + ": shard records do not add up for split train: 50 in shards, 51 in split");
  }

  @Test
  void rowsBreakingARuleAreNamedWithPositionIdAndField() throws IOException {
    assertRowError(rows -> set(rows, 3, ShardSchema.LABEL, 10), "row 3 (id %d): label out of range [-1, 10): 10");
    assertRowError(rows -> set(rows, 4, ShardSchema.LABEL, -2), "row 4 (id %d): label out of range [-1, 10): -2");
    assertRowError(rows -> set(rows, 2, ShardSchema.COARSE_LABEL, 0),
        "row 2 (id %d): coarse_label set in a dataset without coarse classes: 0");
    assertRowError(rows -> set(rows, 5, ShardSchema.ID, rows.get(0).<Long>getAs(ShardSchema.ID)),
        "row 5 (id %d): id duplicate within split: %<d");
    assertRowError(rows -> set(rows, 1, ShardSchema.PIXELS, new byte[19]),
        "row 1 (id %d): pixels length is not height*width*channels = 5*4*1: 19");
    assertRowError(rows -> set(rows, 1, ShardSchema.ENCODING, "jpeg"), "row 1 (id %d): encoding not raw in raw storage: jpeg");
    assertRowError(rows -> set(set(rows, 6, ShardSchema.HEIGHT, 4), 6, ShardSchema.PIXELS, new byte[16]),
        "row 6 (id %d): shape differs from the manifest's 5x4x1: 4x4x1");
    assertRowError(rows -> set(rows, 0, ShardSchema.SOURCE, ""), "row 0 (id %d): source empty: \"\"");
  }

  @Test
  void aShardWithAnotherSchemaIsRefused() throws IOException {
    StructField[] fields = SparkShardWriter.SCHEMA.fields().clone();
    fields[1] = DataTypes.createStructField(ShardSchema.LABEL, DataTypes.LongType, false);
    Path root = copy();
    Path shard = root.resolve("train/shard-00001.parquet");
    List<Row> rows = new ArrayList<>();
    for (Row r : read(shard)) {
      Object[] v = values(r);
      v[1] = ((Integer) v[1]).longValue();
      rows.add(RowFactory.create(v));
    }
    rehash(root, "train", 1, write(shard, rows, new StructType(fields)));
    assertError(root, "Cannot verify shard file:" + shard + ": schema differs from " + ShardSchema.COLUMNS + ": "
        + ShardSchema.COLUMNS.toString().replace("Column[name=label, type=int]", "Column[name=label, type=long]"));
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

  static void assertError(Path root, String expected) {
    Result r = run("verify", "--input", root.toString());
    assertEquals(3, r.code, r.err);
    assertEquals("Error: " + expected + "\n", r.err);
  }

  /** Rewrites train shard 1 with {@code edit} applied to its rows (sha256 updated) and checks verify's message. */
  void assertRowError(UnaryOperator<List<Row>> edit, String expected) throws IOException {
    Path root = copy();
    Path shard = root.resolve("train/shard-00001.parquet");
    List<Row> rows = edit.apply(read(shard));
    rehash(root, "train", 1, write(shard, rows, SparkShardWriter.SCHEMA));
    long id = -1;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("row (\\d+)").matcher(expected);
    if (m.find()) {
      id = rows.get(Integer.parseInt(m.group(1))).<Long>getAs(ShardSchema.ID);
    }
    assertError(root, "Cannot verify shard file:" + shard + ": " + String.format(expected, id));
  }

  static List<Row> set(List<Row> rows, int index, String column, Object value) {
    List<Row> out = new ArrayList<>(rows);
    Object[] v = values(rows.get(index));
    v[SparkShardWriter.SCHEMA.fieldIndex(column)] = value;
    out.set(index, new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, SparkShardWriter.SCHEMA));
    return out;
  }

  static Object[] values(Row r) {
    Object[] v = new Object[r.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    return v;
  }

  static List<Row> read(Path shard) {
    return spark.read().parquet(shard.toString()).collectAsList();
  }

  /** Writes {@code rows} in order as one Parquet file replacing {@code shard}. */
  static Path write(Path shard, List<Row> rows, StructType schema) throws IOException {
    Path dir = shard.resolveSibling("rewrite-" + copies++);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    try (Stream<Path> files = Files.list(dir)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.move(part, shard, StandardCopyOption.REPLACE_EXISTING);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
    return shard;
  }

  /** A fresh copy of the clean shard root. */
  static Path copy() throws IOException {
    Path target = tmp.resolve("copy-" + copies++);
    try (Stream<Path> files = Files.walk(clean)) {
      for (Path p : files.collect(Collectors.toList())) {
        Files.copy(p, target.resolve(clean.relativize(p).toString()));
      }
    }
    return target;
  }

  static Path flip(Path file, long at) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) at] ^= 0x01;
    Files.write(file, bytes);
    return file;
  }

  /** A byte in the middle of the pixels column chunk of the first row group (page data, past the header). */
  static long middleOfPixelPage(Path shard) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(shard.toString()), new Configuration()))) {
      for (ColumnChunkMetaData c : reader.getFooter().getBlocks().get(0).getColumns()) {
        if (c.getPath().toDotString().equals(ShardSchema.PIXELS)) {
          return c.getStartingPos() + c.getTotalSize() * 3 / 4;
        }
      }
    }
    throw new AssertionError("no pixels column in " + shard);
  }

  /** A byte inside the footer: the Thrift metadata ends 8 bytes before the end (length, "PAR1"). */
  static long footer(byte[] file) {
    int length = (file[file.length - 8] & 0xFF) | (file[file.length - 7] & 0xFF) << 8
        | (file[file.length - 6] & 0xFF) << 16 | (file[file.length - 5] & 0xFF) << 24;
    return file.length - 8 - length / 2;
  }

  /** Updates the manifest to the shard's new sha256 and record count (as a forger would). */
  static void rehash(Path root, String split, int index, Path shard) throws IOException {
    String sha;
    try (var in = Files.newInputStream(shard)) {
      sha = ShardStore.sha256(in);
    }
    long records = read(shard).size();
    editManifest(root, m -> {
      long old = m.splits().get(split).shards().get(index).records();
      return withShard(m, split, index, s -> new ShardManifest.Shard(s.file(), s.records(), sha), records - old,
          records - old);
    });
  }

  static void editManifest(Path root, UnaryOperator<ShardManifest> edit) throws IOException {
    Path file = root.resolve(ShardManifest.FILE_NAME);
    Files.writeString(file, edit.apply(ShardManifest.fromJson(Files.readString(file))).toJson());
  }

  /** The manifest with one shard replaced and its record count and the split's raised by the given amounts. */
  static ShardManifest withShard(ShardManifest m, String split, int index, UnaryOperator<ShardManifest.Shard> edit,
      long shardDelta, long splitDelta) {
    var splits = new java.util.LinkedHashMap<>(m.splits());
    ShardManifest.Split s = splits.get(split);
    List<ShardManifest.Shard> shards = new ArrayList<>(s.shards());
    ShardManifest.Shard e = edit.apply(shards.get(index));
    shards.set(index, new ShardManifest.Shard(e.file(), e.records() + shardDelta, e.sha256()));
    splits.put(split, new ShardManifest.Split(s.records() + splitDelta, shards, s.sourceFiles(), s.skipped()));
    return new ShardManifest(m.formatVersion(), m.toolVersion(), m.dataset(), m.classNames(), m.coarseClassNames(),
        m.storage(), m.shape(), m.imageSizes(), m.resizeShortSide(), splits, m.normalization(), m.shuffleSeed());
  }
}
