package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/**
 * Writes an {@link ImageSource} as Parquet shards plus {@code manifest.json}, with Spark.
 *
 * <p>Per split: the records are permuted once by a seeded Fisher–Yates shuffle, cut into {@code shards}
 * contiguous slices by {@code parallelize} (deterministic), written by Spark, and the part files renamed
 * {@code shard-00000.parquet}, … in partition order. The same input, seed and shard count give
 * byte-identical shards.
 *
 * <p>The commit is atomic: everything is written to the sibling {@code <output>._tmp-<uuid>} and renamed
 * to {@code <output>} at the end; on failure the temporary directory is deleted. An existing output is
 * refused unless {@code overwrite}, in which case it is removed only after the new output is complete.
 */
public final class SparkShardWriter {
  /** The Spark form of {@link ShardSchema}. */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(ShardSchema.ID, DataTypes.LongType, false),
      DataTypes.createStructField(ShardSchema.LABEL, DataTypes.IntegerType, false),
      DataTypes.createStructField(ShardSchema.COARSE_LABEL, DataTypes.IntegerType, false),
      DataTypes.createStructField(ShardSchema.ENCODING, DataTypes.StringType, false),
      DataTypes.createStructField(ShardSchema.PIXELS, DataTypes.BinaryType, false),
      DataTypes.createStructField(ShardSchema.HEIGHT, DataTypes.IntegerType, false),
      DataTypes.createStructField(ShardSchema.WIDTH, DataTypes.IntegerType, false),
      DataTypes.createStructField(ShardSchema.CHANNELS, DataTypes.IntegerType, false),
      DataTypes.createStructField(ShardSchema.SOURCE, DataTypes.StringType, false)});

  /** One row in {@link #SCHEMA}'s column order. */
  public static Row toRow(ShardRecord r) {
    return RowFactory.create(r.id(), r.label(), r.coarseLabel(), r.encoding(), r.bytes(), r.height(), r.width(),
        r.channels(), r.source());
  }

  private final SparkSession spark;
  private final int shards;
  private final long seed;
  private final boolean overwrite;
  private final String toolVersion;

  public SparkShardWriter(SparkSession spark, int shards, long seed, boolean overwrite, String toolVersion) {
    if (shards < 1) {
      throw new IllegalArgumentException("Cannot write shards: shard count must be at least 1: " + shards);
    }
    this.spark = spark;
    this.shards = shards;
    this.seed = seed;
    this.overwrite = overwrite;
    this.toolVersion = toolVersion;
  }

  /** Writes every split of {@code source} to {@code output} (a path or URI); returns the manifest written. */
  public ShardManifest write(ImageSource source, String output) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path out = new Path(output);
    FileSystem fs = ShardStore.withoutChecksumFiles(out.getFileSystem(conf));
    out = fs.makeQualified(out);
    boolean replacing = fs.exists(out);
    if (replacing && !overwrite) {
      throw new IllegalStateException("Cannot write shards to " + out + ": output exists: pass --overwrite to replace it");
    }
    if (replacing && !fs.exists(new Path(out, ShardManifest.FILE_NAME))) {
      // --overwrite replaces an earlier prep output, never an arbitrary file or folder (e.g. the input's).
      throw new IllegalStateException("Cannot overwrite " + out + ": not a shard root (no "
          + ShardManifest.FILE_NAME + "); refusing to delete it");
    }
    Path tmp = new Path(out.getParent(), out.getName() + "._tmp-" + UUID.randomUUID());
    try {
      ShardManifest manifest = writeAll(source, fs, tmp);
      commit(fs, tmp, out, replacing);
      return manifest;
    } catch (IOException | RuntimeException | Error e) {
      try {
        fs.delete(tmp, true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private ShardManifest writeAll(ImageSource source, FileSystem fs, Path tmp) throws IOException {
    Map<String, ShardManifest.Split> splits = new LinkedHashMap<>();
    ShardManifest.ImageShape shape = null;
    ShardManifest.Normalization normalization = null;
    for (String split : source.splits()) {
      List<ShardRecord> records = source.read(split);
      shape = checkShape(records, shape, split);
      if (split.equals("train")) {
        ChannelStats stats = new ChannelStats(shape.channels());
        records.forEach(stats::add);
        normalization = stats.toNormalization(split);
      }
      List<ShardManifest.Shard> written = writeSplit(records, split, fs, new Path(tmp, split));
      splits.put(split, new ShardManifest.Split(records.size(), written, describe(source.sourceFiles(split)),
          List.of()));
    }
    ShardManifest.ImageSizes sizes = new ShardManifest.ImageSizes(shape.height(), shape.height(), shape.width(),
        shape.width(), shape.height(), shape.width());
    ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT_VERSION, toolVersion, source.dataset(),
        source.classNames(), source.coarseClassNames(), ShardManifest.STORAGE_RAW, shape, sizes, 0, splits,
        normalization, seed);
    manifest.validate();
    try (OutputStream o = fs.create(new Path(tmp, ShardManifest.FILE_NAME), false)) {
      o.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
    }
    deleteSideFiles(fs, tmp);
    return manifest;
  }

  private List<ShardManifest.Shard> writeSplit(List<ShardRecord> records, String split, FileSystem fs, Path dir)
      throws IOException {
    int[] order = permutation(records.size(), splitSeed(split));
    List<Row> rows = new ArrayList<>(records.size());
    for (int i : order) {
      rows.add(toRow(records.get(i)));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Byte-identical reruns: parquet-mr lists a column chunk's encodings in HashSet order, and enum hash
    // codes differ from JVM to JVM, so two encodings per column (v1 pages: BIT_PACKED levels + PLAIN or
    // dictionary) come out in either order. V2 data pages without dictionary have one encoding per column.
    spark.createDataFrame(jsc.parallelize(rows, shards), SCHEMA)
        .write()
        .option("compression", "snappy")
        .option("parquet.writer.version", "PARQUET_2_0")
        .option("parquet.enable.dictionary", "false")
        .parquet(dir.toString());
    // Part files are named part-<partition>-<job uuid>…: name order is partition order.
    FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
    Arrays.sort(parts, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    deleteSideFiles(fs, dir);
    List<ShardManifest.Shard> shardList = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String name = String.format("shard-%05d.parquet", i);
      Path target = new Path(dir, name);
      if (!fs.rename(parts[i].getPath(), target)) {
        throw new IOException("Cannot write shards to " + dir + ": rename failed: " + parts[i].getPath());
      }
      long count;
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(target, fs.getConf()))) {
        count = reader.getRecordCount();
      }
      shardList.add(new ShardManifest.Shard(name, count, ShardStore.sha256(fs, target)));
    }
    return shardList;
  }

  /** Seed of a split's permutation: the run's seed mixed with the split name (String.hashCode is specified). */
  private long splitSeed(String split) {
    return seed * 0x9E3779B97F4A7C15L + split.hashCode();
  }

  /** A uniform random permutation of 0..n-1 (Fisher–Yates). */
  static int[] permutation(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static ShardManifest.ImageShape checkShape(List<ShardRecord> records, ShardManifest.ImageShape shape,
      String split) {
    for (ShardRecord r : records) {
      if (shape == null) {
        shape = new ShardManifest.ImageShape(r.height(), r.width(), r.channels());
      } else if (shape.height() != r.height() || shape.width() != r.width() || shape.channels() != r.channels()) {
        throw new IllegalArgumentException("Cannot write shards: image " + r.id() + " of split " + split
            + " has another shape: " + r.height() + "x" + r.width() + "x" + r.channels() + " instead of "
            + shape.height() + "x" + shape.width() + "x" + shape.channels());
      }
    }
    if (shape == null) {
      throw new IllegalArgumentException("Cannot write shards: split is empty: " + split);
    }
    return shape;
  }

  private static List<ShardManifest.SourceFile> describe(List<java.nio.file.Path> files) throws IOException {
    List<ShardManifest.SourceFile> out = new ArrayList<>();
    for (java.nio.file.Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        out.add(new ShardManifest.SourceFile(f.getFileName().toString(), Files.size(f), ShardStore.sha256(in)));
      }
    }
    return out;
  }

  /**
   * Removes Spark's _SUCCESS marker and checksum side files (.&lt;name&gt;.crc, written by Hadoop's local FS;
   * listed here because {@code fs} is the raw file system, which does not hide them).
   */
  private static void deleteSideFiles(FileSystem fs, Path dir) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && (name.equals("_SUCCESS") || name.endsWith(".crc"))) {
        fs.delete(s.getPath(), false);
      }
    }
  }

  /** Renames tmp to out; when replacing, the old output is moved aside first and deleted last. */
  private static void commit(FileSystem fs, Path tmp, Path out, boolean replacing) throws IOException {
    Path old = new Path(out.getParent(), out.getName() + "._old-" + UUID.randomUUID());
    if (replacing && !fs.rename(out, old)) {
      throw new IOException("Cannot replace " + out + ": rename to " + old + " failed");
    }
    if (!fs.rename(tmp, out)) {
      if (replacing) {
        fs.rename(old, out);
      }
      throw new IOException("Cannot commit shards to " + out + ": rename from " + tmp + " failed");
    }
    if (replacing) {
      fs.delete(old, true);
    }
  }
}
