package org.mixbt.job;

import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.mixbt.core.backend.BackendCheck;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's first look at ND4J, before Spark starts: logs the backend and its devices (with the compute
 * capability of each GPU) and refuses, as a configuration error, GPUs the backend has no code for, which
 * would otherwise crash in the first kernel. The executors, whose GPUs may be of another kind, are asked the
 * same once Spark runs ({@link #verifyExecutors}).
 */
final class BackendStartup {
  private static final Logger LOG = LoggerFactory.getLogger(BackendStartup.class);

  private BackendStartup() {
  }

  /** Returns the log line; throws {@link ConfigException} naming the device when the run must not start. */
  static String verify() {
    String line = describeAndCheck();
    LOG.info(line);
    return line;
  }

  /**
   * The same check on the executors, whose GPUs may differ from the driver's: one small task per worker,
   * each answering with its executor's backend line (logged, once per distinct line) or its refusal.
   */
  static void verifyExecutors(JavaSparkContext sc, int workers) {
    List<Integer> tasks = IntStream.range(0, workers).boxed().toList();
    List<String> answers = sc.parallelize(tasks, workers).map(i -> executorAnswer()).collect();
    for (String answer : new TreeSet<>(answers)) {
      if (answer.startsWith("Cannot")) {
        throw new ConfigException(answer);
      }
      LOG.info(answer);
    }
  }

  private static String executorAnswer() {
    SparkEnv env = SparkEnv.get();
    String where = "executor " + (env == null ? "?" : env.executorId()) + " on " + hostName();
    try {
      return where + ": " + describeAndCheck();
    } catch (ConfigException e) {
      return e.getMessage() + " (" + where + ")";
    }
  }

  /**
   * Why ND4J did not start, in one line: a GPU without a kernel image for it (backend initialisation ran a
   * kernel already), or a backend whose native libraries did not load (e.g. the CUDA jar without a CUDA
   * 11.6 runtime or without a GPU).
   */
  static String loadFailure(Throwable e) {
    // Each cause's own message once: ND4J wraps its exceptions with the cause's text as the message.
    StringBuilder causes = new StringBuilder();
    for (Throwable t = e; t != null && causes.length() < 400; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !causes.toString().contains(m)) {
        causes.append(causes.length() == 0 ? "" : ": ").append(m);
      }
    }
    String why = (causes.length() == 0 ? e.toString() : causes.toString()).replace('\n', ' ');
    if (why.contains("no kernel image")) {
      return "Cannot start the ND4J CUDA backend: the GPU has no kernel image in it (" + why
          + "); the backend has kernels for compute capabilities 3.7 to 8.x only";
    }
    return "Cannot start the ND4J backend: " + why + " (the CUDA build needs a GPU and the CUDA 11.6 runtime with"
        + " cuDNN 8.3 on every node; the CPU build needs neither)";
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown host";
    }
  }

  private static String describeAndCheck() {
    Properties env;
    try {
      env = Nd4j.getExecutioner().getEnvironmentInformation();
    } catch (RuntimeException | LinkageError e) {
      throw new ConfigException(loadFailure(e), e);
    }
    String line = BackendCheck.describe(env) + "; " + Nd4j.getAffinityManager().getNumberOfDevices()
        + " device(s) for ND4J";
    BackendCheck.refusal(BackendCheck.backend(env), BackendCheck.devices(env), BackendCheck.CUDA_11_6_SASS)
        .ifPresent(message -> {
          throw new ConfigException(message);
        });
    return line;
  }
}
