package org.mixbt.prep.cli;

import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * What a running {@link PrepTask} may use: the output stream for its report, the tool version, and a
 * SparkSession started only when a task asks for one ({@code verify} never does).
 */
public final class PrepContext {
  private final PrintStream out;
  private SparkSession spark;

  public PrepContext(PrintStream out) {
    this.out = out;
  }

  public PrintStream out() {
    return out;
  }

  /**
   * The active SparkSession, or a new one (left running, so that callers in the same JVM can reuse it).
   * {@code master} overrides the one spark-submit set; without either it is local[*].
   */
  public SparkSession spark(String master) {
    if (spark == null) {
      SparkConf conf = new SparkConf().setAppName("mixbt-prep"); // picks up spark.* set by spark-submit
      conf.setMaster(master != null ? master : conf.get("spark.master", "local[*]"));
      spark = SparkSession.builder().config(conf).getOrCreate();
    }
    return spark;
  }

  /** Spark's Hadoop configuration once Spark runs, else the one from the classpath (core-site.xml, …). */
  public Configuration hadoopConf() {
    return spark != null ? spark.sparkContext().hadoopConfiguration() : new Configuration();
  }

  /** The jar's Implementation-Version, "dev" when run from classes. */
  public String toolVersion() {
    String version = PrepContext.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
