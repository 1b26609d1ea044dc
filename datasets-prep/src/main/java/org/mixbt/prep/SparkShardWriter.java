package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * <p>The commit is atomic ({@link ShardOutput}): everything is written to the sibling
 * {@code <output>._tmp-<uuid>} and renamed to {@code <output>} at the end; on failure the temporary
 * directory is deleted. An existing output is refused unless {@code overwrite}, in which case it is removed
 * only after the new output is complete.
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
  private final PrintStream log;

  public SparkShardWriter(SparkSession spark, int shards, long seed, boolean overwrite, String toolVersion) {
    this(spark, shards, seed, overwrite, toolVersion, System.out);
  }

  /** {@code log} receives notes such as removed stale temporary outputs. */
  public SparkShardWriter(SparkSession spark, int shards, long seed, boolean overwrite, String toolVersion,
      PrintStream log) {
    if (shards < 1) {
      throw new IllegalArgumentException("Cannot write shards: shard count must be at least 1: " + shards);
    }
    this.spark = spark;
    this.shards = shards;
    this.seed = seed;
    this.overwrite = overwrite;
    this.toolVersion = toolVersion;
    this.log = log;
  }

  /** Writes every split of {@code source} to {@code output} (a path or URI); returns the manifest written. */
  public ShardManifest write(ImageSource source, String output) throws IOException {
    ShardOutput target = ShardOutput.begin(spark, output, overwrite, log);
    try {
      return target.commit(writeAll(source, target));
    } catch (IOException | RuntimeException | Error e) {
      target.abort(e);
      throw e;
    }
  }

  private ShardManifest writeAll(ImageSource source, ShardOutput target) throws IOException {
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
      List<ShardManifest.Shard> written = writeSplit(records, split, target);
      splits.put(split, new ShardManifest.Split(records.size(), written, describe(source.sourceFiles(split)),
          List.of()));
    }
    ShardManifest.ImageSizes sizes = new ShardManifest.ImageSizes(shape.height(), shape.height(), shape.width(),
        shape.width(), shape.height(), shape.width());
    return new ShardManifest(ShardManifest.FORMAT_VERSION, toolVersion, source.dataset(),
        source.classNames(), source.coarseClassNames(), ShardManifest.STORAGE_RAW, shape, sizes, 0, splits,
        normalization, seed);
  }

  private List<ShardManifest.Shard> writeSplit(List<ShardRecord> records, String split, ShardOutput target)
      throws IOException {
    int[] order = permutation(records.size(), splitSeed(seed, split));
    List<Row> rows = new ArrayList<>(records.size());
    for (int i : order) {
      rows.add(toRow(records.get(i)));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return target.writeShards(spark.createDataFrame(jsc.parallelize(rows, Math.min(shards, rows.size())), SCHEMA), split);
  }

  /** Seed of a split's permutation: the run's seed mixed with the split name (String.hashCode is specified). */
  static long splitSeed(long seed, String split) {
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

  static List<ShardManifest.SourceFile> describe(List<java.nio.file.Path> files) throws IOException {
    List<ShardManifest.SourceFile> out = new ArrayList<>();
    for (java.nio.file.Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        out.add(new ShardManifest.SourceFile(f.getFileName().toString(), Files.size(f), ShardStore.sha256(in)));
      }
    }
    return out;
  }
}
