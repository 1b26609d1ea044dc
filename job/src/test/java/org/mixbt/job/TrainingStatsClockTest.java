package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** DL4J's training stats get the system clock on the executors unless spark-submit chose a clock. */
class TrainingStatsClockTest {
  private static final String CLOCK = "-Dorg.deeplearning4j.spark.time.TimeSource=";

  @Test
  void executorsGetTheSystemClockBesideTheirOtherOptions() {
    SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxbytes=1g");
    SparkSessions.useSystemClockForTrainingStats(conf);
    assertEquals("-Dorg.bytedeco.javacpp.maxbytes=1g " + CLOCK + "org.deeplearning4j.spark.time.SystemClockTimeSource",
        conf.get("spark.executor.extraJavaOptions"));
    assertEquals("org.deeplearning4j.spark.time.SystemClockTimeSource",
        System.getProperty("org.deeplearning4j.spark.time.TimeSource"));
  }

  @Test
  void anExplicitClockIsKept() {
    SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", CLOCK + "my.Clock");
    SparkSessions.useSystemClockForTrainingStats(conf);
    assertEquals(CLOCK + "my.Clock", conf.get("spark.executor.extraJavaOptions"));
  }
}
