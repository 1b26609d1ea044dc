package org.mixbt.job;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point of the pretraining job, for {@code spark-submit --class org.mixbt.job.PretrainJob} or a
 * local launcher: {@code [--config FILE] [--set key=value]...}.
 */
public final class PretrainJob {
  private static final String USAGE = "usage: PretrainJob [--config FILE.conf] [--set mixbt.key=value]...\n"
      + "  Settings and defaults: reference.conf (job/src/main/resources); e.g. conf/fashion-mnist-demo.conf";

  private PretrainJob() {
  }

  public static void main(String[] args) throws Exception {
    File config = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = new File(value(args, ++i));
        case "--set" -> overrides.add(value(args, ++i));
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        default -> fail("unknown argument: " + args[i]);
      }
    }
    JobSettings settings = JobSettings.load(config, overrides);
    SparkSession spark = SparkSessions.start("mixbt-pretrain " + settings.runId, settings.sparkMaster, settings.threads);
    try {
      Pretraining.Result result = new Pretraining(spark, settings).run();
      RunReport.print(result);
    } finally {
      spark.stop();
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      fail("missing value after " + args[i - 1]);
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(2);
  }
}
