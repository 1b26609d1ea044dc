package org.mixbt.prep.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.EncodedImageSource;
import org.mixbt.prep.EncodedShardWriter;

/**
 * A source of encoded image files (JPEG, PNG, PPM), written distributed by {@link EncodedShardWriter}: adds
 * {@code --resize-short-side} to the common options. The source is built on the driver once Spark runs, with
 * Spark's Hadoop configuration, so {@code hdfs://} inputs are listed with the cluster's settings.
 */
public abstract class EncodedSourceCommand extends SourceCommand {
  private static final PrepOption RESIZE = PrepOption.optional("--resize-short-side", "N", "0",
      "resize so the short side is N pixels (PIL antialiased bilinear, as torchvision's Resize(N)) and re-encode;"
          + " 0 keeps the publisher's bytes");

  /** The options of this source (input paths, splits, …), besides the common ones and --resize-short-side. */
  protected abstract List<PrepOption> encodedOptions();

  /** Builds the source on the driver; may list files and read small annotation files. */
  protected abstract EncodedImageSource source(PrepOptions options, Configuration conf) throws IOException;

  /** Checks combinations of options before Spark starts; throw {@link UsageException} for a bad one. */
  protected void checkOptions(PrepOptions options) {}

  @Override
  protected final List<PrepOption> sourceOptions() {
    List<PrepOption> all = new ArrayList<>(encodedOptions());
    all.add(RESIZE);
    return all;
  }

  @Override
  protected final ShardJob job(PrepOptions o) {
    int resize = o.intAtLeast("--resize-short-side", 0);
    checkOptions(o);
    return (spark, output, toolVersion) -> new EncodedShardWriter(spark, output.shards(), output.seed(),
        output.overwrite(), toolVersion, resize, System.out)
        .write(source(o, spark.sparkContext().hadoopConfiguration()), output.path());
  }
}
