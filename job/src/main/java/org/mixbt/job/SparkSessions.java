package org.mixbt.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starts the Spark session of a job, honouring what spark-submit already set. */
public final class SparkSessions {
  private SparkSessions() {
  }

  /**
   * @param defaultMaster used only when no master was given by spark-submit ({@code spark.master})
   * @param threads OpenMP threads for ND4J in this JVM (0 leaves its default)
   */
  public static SparkSession start(String appName, String defaultMaster, int threads) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (!conf.contains("spark.master")) {
      conf.setMaster(defaultMaster);
    }
    if (conf.get("spark.master").startsWith("local")) {
      // A local run is a single-user tool: no web UI on a public interface, loopback only.
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    // DL4J's export of training batches and Spark's serialisation of MultiDataSets.
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    if (threads > 0) {
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
