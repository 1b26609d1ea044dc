package org.mixbt.job;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point of the pretraining job, for {@code spark-submit --class org.mixbt.job.PretrainJob} or the
 * local launcher: {@code [--config FILE] [--set key=value]...}. Exit status: 0 done, 1 the run failed,
 * 2 bad arguments or configuration (detected before Spark starts).
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
    SparkSession spark = SparkSessions.start("mixbt-pretrain " + settings.runId, settings.sparkMaster, settings.threads,
        settings.workers);
    try {
      RunReport.print(new Pretraining(spark, settings).run(), out);
      return 0;
    } catch (Exception e) {
      err.println("Error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      e.printStackTrace(err);
      return 1;
    } finally {
      spark.stop();
    }
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
