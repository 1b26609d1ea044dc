package org.mixbt.job;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point of the pretraining job, for {@code spark-submit --class org.mixbt.job.PretrainJob} or the
 * local launcher: {@code [--config FILE] [--set key=value]...}. Exit status: 0 done, 1 training failed,
 * 2 bad arguments or configuration (detected before Spark starts), 3 bad or missing data (shards,
 * manifest, checkpoint), so a scheduler can tell them apart.
 */
public final class PretrainJob {
  static final String USAGE = "usage: PretrainJob [--config FILE.conf] [--set mixbt.key=value]...\n"
      + "  Settings and defaults: reference.conf (job/src/main/resources); e.g. conf/fashion-mnist-demo.conf";

  private PretrainJob() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    JobSettings settings;
    try {
      settings = parse(args, out);
    } catch (IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (settings == null) {
      return 0;
    }
    try {
      BackendStartup.verify();
    } catch (ConfigException e) {
      err.println("Error: " + e.getMessage());
      return 2;
    }
    SparkSession spark = SparkSessions.start("mixbt-pretrain " + settings.runId, settings.sparkMaster, settings.threads,
        settings.workers);
    try {
      RunReport.print(new Pretraining(spark, settings).run(), out);
      return 0;
    } catch (Exception e) {
      Throwable known = namedCause(e);
      if (known != null) {
        // Our own errors name the file and the problem; a stack trace would only bury that.
        err.println("Error: " + known.getMessage());
        return known instanceof IllegalArgumentException ? 2 : 3;
      }
      err.println("Error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      e.printStackTrace(err);
      return 1;
    } finally {
      spark.stop();
    }
  }

  /** The first data or configuration error in a cause chain, or null when the failure is something else. */
  private static Throwable namedCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.mixbt.core.shard.ShardFormatException || t instanceof org.mixbt.core.data.DatasetFormatException
          || t instanceof org.mixbt.core.checkpoint.CheckpointException || t instanceof java.io.FileNotFoundException
          || t instanceof ConfigException) {
        return t;
      }
    }
    return null;
  }

  /** The run's settings, or null when only --help was asked for. */
  private static JobSettings parse(String[] args, PrintStream out) {
    File config = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = new File(value(args, ++i));
        case "--set" -> overrides.add(value(args, ++i));
        case "--help", "-h" -> {
          out.println(USAGE);
          return null;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    return JobSettings.load(config, overrides);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value after " + args[i - 1]);
    }
    return args[i];
  }
}
