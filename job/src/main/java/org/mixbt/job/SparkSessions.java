package org.mixbt.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starts the Spark session of a job, honouring what spark-submit already set. */
public final class SparkSessions {
  private SparkSessions() {
  }

  /**
   * @param defaultMaster used only when no master was given by spark-submit ({@code spark.master})
   * @param threads ND4J threads per op in this JVM (0 = automatic, see {@link #setNd4jThreads})
   * @param workers parameter-averaging workers (0 = Spark's default parallelism)
   */
  public static SparkSession start(String appName, String defaultMaster, int threads, int workers) {
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
    useSystemClockForTrainingStats(conf);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    setNd4jThreads(spark, threads, workers);
    return spark;
  }

  /**
   * DL4J timestamps its training stats (mixbt.spark.collect-training-stats) with an NTP clock that queries
   * pool.ntp.org and fails the run after 10 tries where there is no internet access, as on most clusters'
   * worker networks. The system clock is what the OS keeps NTP-synchronised anyway; an explicit choice in
   * spark-submit's Java options is kept.
   */
  static void useSystemClockForTrainingStats(SparkConf conf) {
    String property = "org.deeplearning4j.spark.time.TimeSource";
    String systemClock = "org.deeplearning4j.spark.time.SystemClockTimeSource";
    if (System.getProperty(property) == null) {
      System.setProperty(property, systemClock);
    }
    String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
    if (!executorOptions.contains("-D" + property + "=")) {
      conf.set("spark.executor.extraJavaOptions", (executorOptions + " -D" + property + "=" + systemClock).strip());
    }
  }

  /**
   * ND4J's threads per op in this JVM. In local mode every worker is a thread of this JVM, so by default
   * the cores are shared among them (2 workers on 2 cores: one thread each measured 64 img/s against 57
   * with two each); on a cluster the executors' OMP_NUM_THREADS decides.
   */
  private static void setNd4jThreads(SparkSession spark, int threads, int workers) {
    int n = threads;
    if (n == 0 && spark.sparkContext().isLocal()) {
      int parallel = workers > 0 ? workers : spark.sparkContext().defaultParallelism();
      n = Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
    }
    if (n > 0) {
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(n);
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(n);
    }
  }
}
