package org.mixbt.prep;

import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.shard.ShardManifest;

/** Writes a dataset as shards: {@code PrepJob idx --input DIR --output PATH --dataset NAME …} (see {@link PrepArgs#USAGE}). */
public final class PrepJob {
  private PrepJob() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs on the active SparkSession, or a new one left running; returns the exit status (0 ok, 1 failed, 2 usage). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrepArgs a;
    try {
      a = PrepArgs.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("Error: " + e.getMessage() + "\n" + PrepArgs.USAGE);
      return 2;
    }
    if (a.help()) {
      out.println(PrepArgs.USAGE);
      return 0;
    }
    SparkConf conf = new SparkConf().setAppName("mixbt-prep"); // picks up spark.* set by spark-submit
    conf.setMaster(a.master() != null ? a.master() : conf.get("spark.master", "local[*]"));
    try {
      SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
      String version = PrepJob.class.getPackage().getImplementationVersion();
      ShardManifest m = new SparkShardWriter(spark, a.shards(), a.seed(), a.overwrite(), version == null ? "dev" : version)
          .write(new IdxSource(a.input(), a.dataset()), a.output());
      m.splits().forEach((split, s) -> out.println(split + ": " + s.records() + " records in " + s.shards().size() + " shards"));
      return 0;
    } catch (Exception e) {
      err.println("Error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return 1;
    }
  }
}
