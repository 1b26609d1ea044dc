package org.mixbt.prep.cli;

import java.io.IOException;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.prep.ImageSource;
import org.mixbt.prep.SparkShardWriter;

/** Writes one dataset's shards on Spark; a source command builds one from its options. */
@FunctionalInterface
public interface ShardJob {
  ShardManifest write(SparkSession spark, ShardOutput output, String toolVersion) throws IOException;

  /** The job for a source whose records are read on the driver and written by {@link SparkShardWriter}. */
  static ShardJob of(ImageSource source) {
    return (spark, output, toolVersion) -> new SparkShardWriter(spark, output.shards(), output.seed(),
        output.overwrite(), toolVersion).write(source, output.path());
  }
}
