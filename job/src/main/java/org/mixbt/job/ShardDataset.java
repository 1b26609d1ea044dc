package org.mixbt.job;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardStore;

/**
 * One split of a shard set as an RDD. The driver reads the manifest and assigns the split's shards to
 * partitions, one shard per partition in the manifest's order, so which executor reads which records does
 * not depend on file sizes or Spark's file-splitting settings; each executor reads its shard from HDFS or a
 * local path with Parquet directly.
 */
final class ShardDataset {
  private ShardDataset() {
  }

  /**
   * The split's rows as stored (encoded images still encoded; decode with {@link ShardRecord#decode}).
   *
   * @param idLimit keep records with id &lt; idLimit only (0 keeps all): ids are positions in the
   *     publisher's file, so "the first 10 000 images" is a stable subset
   */
  static JavaRDD<ShardRecord> readStored(SparkSession spark, ShardStore store, String split, long idLimit) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> shards = store.shardPaths(split).stream().map(Path::toString).toList();
    // The Hadoop settings the driver was given (spark.hadoop.*, core-site.xml) travel to the executors.
    Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
    return sc.parallelize(shards, Math.max(1, shards.size()))
        .flatMap(shard -> ShardFileReader.read(new Path(shard), conf.value().value(), idLimit).iterator());
  }

  /** The split's images, decoded on the executor that reads each shard (evaluation passes). */
  static JavaRDD<ImageRecord> read(SparkSession spark, ShardStore store, String split, long idLimit) {
    return readStored(spark, store, split, idLimit).map(ShardRecord::decode);
  }
}
