package org.mixbt.prep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import scala.Tuple2;

/**
 * Writes an {@link EncodedImageSource} as shards, distributed: the driver lists the files (ids = position
 * in the source's order), Spark reads their bytes ({@code binaryFile}, any Hadoop file system), executors
 * decode every image ({@link ProcessedImage}: validation, size, exact per-channel integer sums, optional
 * short-side resize), and Spark aggregates the sums into the train split's mean/std. An undecodable file is
 * skipped and listed in the manifest with its reason. The remaining records are permuted exactly as
 * {@link SparkShardWriter} permutes in-memory ones (Fisher–Yates with the split's seed over the kept ids in
 * id order, cut into equal contiguous slices), so output does not depend on the cluster's partitioning, and
 * reruns are byte-identical. Commit and failure handling are {@link ShardOutput}'s.
 *
 * <p>The processed rows are persisted to executor disk between the statistics pass and the shard write, so
 * each file is read and decoded once.
 */
public final class EncodedShardWriter {
  private static final String STAGING = "_staging";

  private final SparkSession spark;
  private final int shards;
  private final long seed;
  private final boolean overwrite;
  private final String toolVersion;
  private final int resizeShortSide;
  private final PrintStream log;

  /** {@code resizeShortSide} 0 keeps the files' bytes; otherwise see {@link ProcessedImage}. */
  public EncodedShardWriter(SparkSession spark, int shards, long seed, boolean overwrite, String toolVersion,
      int resizeShortSide, PrintStream log) {
    if (shards < 1) {
      throw new IllegalArgumentException("Cannot write shards: shard count must be at least 1: " + shards);
    }
    if (resizeShortSide < 0) {
      throw new IllegalArgumentException("Cannot write shards: negative resizeShortSide: " + resizeShortSide);
    }
    this.spark = spark;
    this.shards = shards;
    this.seed = seed;
    this.overwrite = overwrite;
    this.toolVersion = toolVersion;
    this.resizeShortSide = resizeShortSide;
    this.log = log;
  }

  /** Writes every split of {@code source} to {@code output} (a path or URI); returns the manifest written. */
  public ShardManifest write(EncodedImageSource source, String output) throws IOException {
    if (!source.splits().contains("train")) {
      throw new IllegalArgumentException("Cannot write shards of " + source.dataset() + ": no train split");
    }
    ShardOutput target = ShardOutput.begin(spark, output, overwrite, log);
    try {
      return target.commit(writeAll(source, target));
    } catch (IOException | RuntimeException | Error e) {
      target.abort(e);
      throw e;
    }
  }

  private ShardManifest writeAll(EncodedImageSource source, ShardOutput target) throws IOException {
    Map<String, ShardManifest.Split> splits = new LinkedHashMap<>();
    SplitSizes sizes = new SplitSizes();
    ShardManifest.Normalization normalization = null;
    for (String split : source.splits()) {
      Path staging = new Path(new Path(target.tmp(), STAGING), split);
      long listed = System.nanoTime();
      EncodedImageSource.SplitFiles files = source.files(split, target.fs(), staging);
      log.printf(java.util.Locale.ROOT, "%s %s: %d files listed in %.1f s%n", source.dataset(), split,
          files.files().size(), (System.nanoTime() - listed) / 1e9);
      SplitResult r = writeSplit(source, split, files, target);
      sizes.add(r.aggregate);
      if (split.equals("train")) {
        normalization = r.normalization(split);
      }
      splits.put(split, new ShardManifest.Split(r.records, r.shards, files.sourceFiles(), r.skipped));
    }
    // Staged archive members are needed until the last split is written (Tiny-ImageNet stages both at once).
    target.fs().delete(new Path(target.tmp(), STAGING), true);
    ShardManifest.ImageShape shape = sizes.uniformShape();
    if (source.storeRaw() && shape == null) {
      throw new IllegalArgumentException("Cannot write raw shards of " + source.dataset()
          + ": images differ in size: " + sizes);
    }
    return new ShardManifest(ShardManifest.FORMAT_VERSION, toolVersion, source.dataset(), source.classNames(),
        List.of(), source.storeRaw() ? ShardManifest.STORAGE_RAW : ShardManifest.STORAGE_ENCODED, shape,
        sizes.toImageSizes(), resizeShortSide, splits, normalization, seed);
  }

  private SplitResult writeSplit(EncodedImageSource source, String split, EncodedImageSource.SplitFiles files,
      ShardOutput target) throws IOException {
    List<EncodedImageSource.ImageFile> list = files.files();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("Cannot write shards of " + source.dataset() + ": split is empty: " + split);
    }
    long planned = System.nanoTime();
    Dataset<Row> processed = process(source, split, files).persist(StorageLevel.DISK_ONLY());
    log.printf(java.util.Locale.ROOT, "%s %s: Spark file index of %d roots built in %.1f s%n", source.dataset(), split,
        files.roots().size(), (System.nanoTime() - planned) / 1e9);
    try {
      Row aggregate = aggregate(processed, source.dataset() + " " + split, list.size());
      List<ShardManifest.Skipped> skipped = new ArrayList<>();
      Set<Long> skippedIds = new HashSet<>();
      for (Row row : processed.filter(col(ProcessedImage.REASON).isNotNull())
          .select(ShardSchema.ID, ShardSchema.SOURCE, ProcessedImage.REASON).collectAsList()) {
        skippedIds.add(row.getLong(0));
        skipped.add(new ShardManifest.Skipped(row.getString(1), row.getString(2)));
      }
      skipped.sort(Comparator.comparing(ShardManifest.Skipped::source));
      skipped.forEach(s -> log.println("Skipped " + s.source() + ": " + s.reason()));
      long kept = list.size() - skippedIds.size();
      if (aggregate.getLong(0) != kept) {
        throw new IllegalStateException("Cannot write shards of " + source.dataset() + " split " + split
            + ": listed files were not read (deleted or renamed during the prep?): " + list.size() + " listed, "
            + (aggregate.getLong(0) + skippedIds.size()) + " read");
      }
      if (kept == 0) {
        throw new IllegalArgumentException("Cannot write shards of " + source.dataset() + ": no decodable image in split "
            + split + " (" + skipped.size() + " skipped)");
      }
      int[] positions = positions(list.size(), skippedIds, SparkShardWriter.splitSeed(seed, split));
      long writing = System.nanoTime();
      List<ShardManifest.Shard> written = target.writeShards(shuffled(processed, positions, (int) kept), split);
      log.printf(java.util.Locale.ROOT, "%s %s: %d records shuffled into %d shards in %.1f s%n", source.dataset(), split,
          kept, written.size(), (System.nanoTime() - writing) / 1e9);
      return new SplitResult(kept, written, skipped, aggregate);
    } finally {
      processed.unpersist();
    }
  }

  /**
   * The first action on the processed rows: reads and decodes every file (progress reported from the
   * finished tasks) and returns the kept images' statistics (see {@link #AGGREGATES}).
   */
  private Row aggregate(Dataset<Row> processed, String what, long files) {
    PrepProgress progress = new PrepProgress(what, files, log, 10);
    SparkTaskProgress listener = new SparkTaskProgress(progress);
    spark.sparkContext().addSparkListener(listener);
    try {
      return processed.filter(col(ProcessedImage.REASON).isNull())
          .agg(AGGREGATES[0], java.util.Arrays.copyOfRange(AGGREGATES, 1, AGGREGATES.length)).first();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
      progress.finish();
    }
  }

  /** binaryFile rows joined with the index, then decoded on the executors. */
  private Dataset<Row> process(EncodedImageSource source, String split, EncodedImageSource.SplitFiles files) {
    List<Row> index = new ArrayList<>();
    List<EncodedImageSource.ImageFile> list = files.files();
    Set<String> names = new HashSet<>();
    for (int id = 0; id < list.size(); id++) {
      EncodedImageSource.ImageFile f = list.get(id);
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("Cannot index split " + split + ": duplicate source name: " + f.name());
      }
      index.add(RowFactory.create(f.path(), (long) id, f.label(), f.name()));
    }
    StructType indexSchema = new StructType().add("path", DataTypes.StringType, false)
        .add("id", DataTypes.LongType, false).add("label", DataTypes.IntegerType, false)
        .add("name", DataTypes.StringType, false);
    Dataset<Row> bytes = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .load(files.roots().toArray(new String[0])).select("path", "content");
    Dataset<Row> joined = spark.createDataFrame(index, indexSchema).join(bytes, "path")
        .select("id", "label", "name", "content");
    ProcessedImage step = new ProcessedImage(resizeShortSide, source.storeRaw());
    JavaRDD<Row> rows = joined.javaRDD().map(r -> step.process(r.getLong(0), r.getInt(1), r.getString(2),
        (byte[]) r.get(3)));
    return spark.createDataFrame(rows, ProcessedImage.SCHEMA);
  }

  /**
   * count, min/max height, min/max width, sum of heights, of widths (0..6), per channel sum and sum of
   * squares (7..12), pixels per channel (13). Sums are summed as decimals: a long could overflow on large
   * datasets.
   */
  private static final Column[] AGGREGATES = aggregates();

  private static Column[] aggregates() {
    List<Column> cols = new ArrayList<>(List.of(count("*"), min(ShardSchema.HEIGHT), max(ShardSchema.HEIGHT),
        min(ShardSchema.WIDTH), max(ShardSchema.WIDTH), sum(ShardSchema.HEIGHT), sum(ShardSchema.WIDTH)));
    for (int c = 0; c < 3; c++) {
      cols.add(sum(col("sum" + c).cast(DataTypes.createDecimalType(38, 0))));
      cols.add(sum(col("sq" + c).cast(DataTypes.createDecimalType(38, 0))));
    }
    cols.add(sum(col(ShardSchema.HEIGHT).cast(DataTypes.LongType).multiply(col(ShardSchema.WIDTH))));
    return cols.toArray(new Column[0]);
  }

  /**
   * Shard position of every id (-1 for skipped ones): the kept ids in id order are permuted as
   * {@link SparkShardWriter#permutation} does, so position p holds kept id {@code kept[perm[p]]}.
   */
  static int[] positions(int n, Set<Long> skipped, long splitSeed) {
    int[] kept = new int[n - skipped.size()];
    int k = 0;
    for (int id = 0; id < n; id++) {
      if (!skipped.contains((long) id)) {
        kept[k++] = id;
      }
    }
    int[] perm = SparkShardWriter.permutation(kept.length, splitSeed);
    int[] positions = new int[n];
    java.util.Arrays.fill(positions, -1);
    for (int p = 0; p < perm.length; p++) {
      positions[kept[perm[p]]] = p;
    }
    return positions;
  }

  private Dataset<Row> shuffled(Dataset<Row> processed, int[] positions, int kept) {
    Broadcast<int[]> pos = spark.sparkContext().broadcast(positions, scala.reflect.ClassTag$.MODULE$.apply(int[].class));
    JavaRDD<Row> rows = processed.filter(col(ProcessedImage.REASON).isNull()).javaRDD()
        .mapToPair(r -> new Tuple2<>(pos.value()[(int) r.getLong(0)], shardColumns(r)))
        .repartitionAndSortWithinPartitions(new SlicePartitioner(kept, Math.min(shards, kept)))
        .values();
    return spark.createDataFrame(rows, SparkShardWriter.SCHEMA);
  }

  private static Row shardColumns(Row r) {
    Object[] v = new Object[ProcessedImage.SHARD_COLUMNS];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    return RowFactory.create(v);
  }

  /** What one split produced. */
  private record SplitResult(long records, List<ShardManifest.Shard> shards, List<ShardManifest.Skipped> skipped,
      Row aggregate) {
    /** Mean and std from the exact sums (aggregate columns 7..12) over aggregate column 13's pixels. */
    ShardManifest.Normalization normalization(String split) {
      BigInteger[] sum = new BigInteger[3];
      BigInteger[] sq = new BigInteger[3];
      for (int c = 0; c < 3; c++) {
        sum[c] = aggregate.getDecimal(7 + 2 * c).toBigIntegerExact();
        sq[c] = aggregate.getDecimal(8 + 2 * c).toBigIntegerExact();
      }
      return ChannelStats.normalization(split, sum, sq, BigInteger.valueOf(aggregate.getLong(13)));
    }
  }
}
