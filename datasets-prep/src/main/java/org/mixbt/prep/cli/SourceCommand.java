package org.mixbt.prep.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.shard.ShardManifest;

/**
 * A command that converts one publisher's files into shards. A subclass declares its own options and
 * builds its {@link ShardJob} from them; the output options ({@link ShardOutput#OPTIONS}), the
 * existing-output check, Spark start-up and the summary printed at the end are shared.
 */
public abstract class SourceCommand implements PrepCommand {
  /** Options of this source only (input, dataset name, …), in help order. */
  protected abstract List<PrepOption> sourceOptions();

  /**
   * Validates the source options and checks the input is there (reading no more than headers), before
   * Spark starts; returns the job that converts it.
   */
  protected abstract ShardJob job(PrepOptions options);

  @Override
  public final List<PrepOption> options() {
    List<PrepOption> all = new ArrayList<>(sourceOptions());
    all.addAll(ShardOutput.OPTIONS);
    return all;
  }

  @Override
  public final PrepTask prepare(PrepOptions options) {
    ShardOutput output = ShardOutput.from(options);
    ShardJob job = job(options);
    return context -> {
      SparkSession spark = context.spark(output.master());
      output.checkWritable(context.hadoopConf());
      ShardManifest m = job.write(spark, output, context.toolVersion());
      m.splits().forEach((split, s) -> context.out().println(split + ": " + s.records() + " records in "
          + s.shards().size() + " shards" + (s.skipped().isEmpty() ? "" : ", " + s.skipped().size() + " skipped")));
    };
  }
}
