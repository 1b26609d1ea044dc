package org.mixbt.prep.cli;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.shard.ShardManifest;

/**
 * Where and how a source command writes its shards: the options every source command shares.
 *
 * @param path shard root (file://, hdfs://, or a local path)
 * @param shards Parquet shards per split
 * @param seed seed of the one-time record shuffle
 * @param overwrite whether an existing shard root may be replaced
 * @param master Spark master given on the command line, null to take spark-submit's (else local[*])
 */
public record ShardOutput(String path, int shards, long seed, boolean overwrite, String master) {
  public static final List<PrepOption> OPTIONS = List.of(
      PrepOption.required("--output", "PATH", "shard root to create (file://, hdfs://, or a local path); refused if it exists"),
      PrepOption.optional("--shards", "N", "4", "Parquet shards per split"),
      PrepOption.optional("--seed", "S", "0", "seed of the one-time record shuffle"),
      PrepOption.flag("--overwrite", "replace an existing shard root (removed only after the new one is complete)"),
      PrepOption.optional("--master", "URL", null, "Spark master (default: as set by spark-submit, else local[*])"));

  public static ShardOutput from(PrepOptions o) {
    return new ShardOutput(o.string("--output"), o.intAtLeast("--shards", 1), o.longValue("--seed"),
        o.flag("--overwrite"), o.string("--master"));
  }

  /**
   * Refuses, before any input is read, an existing output without {@code --overwrite}, and with it anything
   * but an earlier shard root (so a mistyped path never deletes a user's folder). The writer checks again
   * when it commits.
   */
  public void checkWritable(Configuration conf) throws IOException {
    Path out = new Path(path);
    FileSystem fs = out.getFileSystem(conf);
    out = fs.makeQualified(out);
    if (!fs.exists(out)) {
      return;
    }
    if (!overwrite) {
      throw new UsageException("Cannot write shards to " + out + ": output exists: pass --overwrite to replace it");
    }
    if (!fs.exists(new Path(out, ShardManifest.FILE_NAME))) {
      throw new UsageException("Cannot overwrite " + out + ": not a shard root (no " + ShardManifest.FILE_NAME
          + "); refusing to delete it");
    }
  }
}
