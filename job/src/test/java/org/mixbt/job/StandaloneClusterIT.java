package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.data.idx.IdxFixtures;
import org.mixbt.prep.PrepJob;

/**
 * The job on a real multi-process Spark: a standalone master and two workers on loopback, each worker
 * forking its own executor JVM, the job submitted through SparkSubmit with a driver process of its own.
 * An executor killed mid-epoch (SIGKILL) costs a retry, not the run, and not its result: the final weights
 * equal an undisturbed run's. A driver killed mid-run is rerun with the same command and resumes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  /** 320 images, batch 16: 20 steps per epoch, two averaging rounds of 2 workers x 5 minibatches. */
  private static final int IMAGES = 320;
  private static final int STEPS_PER_WORKER_AND_ROUND = 5;

  static Path work;
  static StandaloneCluster cluster;
  static Path config;
  static float[] undisturbed;
  static final List<ProcessHandle> seen = new ArrayList<>();

  @BeforeAll
  static void startClusterAndPrepShards() throws Exception {
    assertTrue(Files.isDirectory(FASHION_MNIST), "install the Debian package dataset-fashion-mnist");
    work = Path.of(System.getProperty("basedir", "."), "target", "standalone-cluster-it");
    deleteTree(work);
    long start = System.nanoTime();
    cluster = StandaloneCluster.start(work.resolve("cluster"), 2, "1g");
    System.out.printf("StandaloneClusterIT: master and 2 workers registered in %.1f s%n", (System.nanoTime() - start) / 1e9);
    Path shards = work.resolve("fashion-mnist");
    Path publisherFiles = firstRecords(work.resolve("fashion-mnist-idx"), IMAGES);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int exit = PrepJob.run(new String[] {"idx", "--input", publisherFiles.toString(), "--output", shards.toString(),
        "--dataset", "fashion-mnist", "--shards", "2"}, new PrintStream(log), new PrintStream(log));
    // The prep ran on a local session in this JVM: the cluster's JVMs need the cores now.
    SparkSession.active().stop();
    assertEquals(0, exit, log.toString());
    config = work.resolve("run.conf");
    Files.writeString(config, String.join("\n",
        "mixbt {",
        "  seed = 7",
        "  data { shards = \"" + shards + "\" }",
        "  model { base-width = 4, feature-dim = 32 }",
        "  training { epochs = 2, batch-size = 16 }",
        "  spark { workers = 2, averaging-frequency = " + STEPS_PER_WORKER_AND_ROUND + " }",
        "  knn { enabled = false }",
        // The precise-BN pass stays on (its sums travel between executors too), on 4 batches; no plots.
        "  statistics { batches = 4 }",
        "  report { enabled = false }",
        "  checkpoint { root = \"" + work.resolve("checkpoints") + "\" }",
        "}", ""));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster == null) {
      return;
    }
    seen.addAll(ProcessHandle.current().descendants().toList());
    cluster.close();
    List<Long> alive = seen.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    assertTrue(alive.isEmpty(), "processes left running after close: " + alive);
  }

  @Test
  @Order(1)
  void undisturbedRunOnTwoExecutorJvms() throws Exception {
    Process driver = submit("a");
    // Both workers run an executor JVM of this application, started with what the job needs there.
    List<ProcessHandle> executors = awaitExecutors();
    for (ProcessHandle executor : executors) {
      String commandLine = executor.info().commandLine().orElse("");
      assertTrue(commandLine.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), commandLine);
      assertTrue(commandLine.contains("-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2"), commandLine);
      assertTrue(environment(executor).contains("OMP_NUM_THREADS=1"), "executor " + executor.pid() + " environment");
    }
    assertEquals(0, StandaloneCluster.await(driver, RUN_TIMEOUT), cluster.log("a"));
    assertTrue(cluster.log("a").contains("epoch 2 done: 20 steps"), cluster.log("a"));
    undisturbed = finalWeights("a");
  }

  @Test
  @Order(2)
  void executorKilledMidEpochCostsARetryNotTheResult() throws Exception {
    Set<Path> appsBefore = apps(0);
    Process driver = submit("b");
    // Kill worker 0's executor in the middle of a training task: after its 7th minibatch, i.e. (with one
    // task per executor and round, as Spark places them here) the 2nd of its share of epoch 1's second
    // round, three more to come.
    Path stdout = awaitExecutorStdout(0, appsBefore);
    awaitLines(stdout, "epoch \\d+/\\d+ step .*", STEPS_PER_WORKER_AND_ROUND + 2, driver);
    ProcessHandle victim = executorWriting(stdout);
    victim.destroyForcibly();
    seen.add(victim);
    assertEquals(0, StandaloneCluster.await(driver, RUN_TIMEOUT), cluster.log("b"));
    String log = cluster.log("b");
    // The kill hit a running task (not an idle executor): Spark reports the task lost with the executor.
    assertTrue(log.contains("ExecutorLostFailure"), log);
    assertTrue(log.contains("epoch 2 done: 20 steps"), log);
    assertSameWeights(undisturbed, finalWeights("b"));
  }

  @Test
  @Order(3)
  void driverKilledMidRunResumesWhenRerun() throws Exception {
    Process driver = submit("c");
    Path firstCheckpoint = work.resolve("checkpoints").resolve("c").resolve("epoch-0001");
    while (!Files.isDirectory(firstCheckpoint)) {
      assertTrue(driver.isAlive(), "driver exited before its first checkpoint: " + cluster.log("c"));
      StandaloneCluster.sleep(50);
    }
    driver.destroyForcibly();
    StandaloneCluster.await(driver, Duration.ofSeconds(30));
    Files.move(work.resolve("cluster").resolve("c.log"), work.resolve("cluster").resolve("c-killed.log"));
    // The same command again: it continues from epoch 1's checkpoint and trains epoch 2 only.
    Process rerun = submit("c");
    assertEquals(0, StandaloneCluster.await(rerun, RUN_TIMEOUT), cluster.log("c"));
    String log = cluster.log("c");
    assertTrue(log.contains("Resuming run c from"), log);
    assertFalse(log.contains("epoch 1 done"), log);
    assertTrue(log.contains("epoch 2 done: 20 steps"), log);
    assertSameWeights(undisturbed, finalWeights("c"));
  }

  /**
   * The first {@code n} records of each Fashion-MNIST file, as IDX files with their header's count rewritten:
   * real images, and a prep and a shard scan of seconds instead of 70 000 images.
   */
  private static Path firstRecords(Path dir, int n) throws IOException {
    for (String prefix : List.of("train", "t10k")) {
      for (boolean images : List.of(true, false)) {
        byte[] all = IdxFixtures.gunzip(FASHION_MNIST.resolve(IdxFixtures.fileName(prefix, images, true)));
        ByteBuffer header = ByteBuffer.wrap(all);
        int headerBytes = images ? 16 : 8;
        int recordBytes = images ? header.getInt(8) * header.getInt(12) : 1;
        header.putInt(4, n);
        IdxFixtures.write(dir.resolve(IdxFixtures.fileName(prefix, images, false)),
            Arrays.copyOf(all, headerBytes + n * recordBytes), false);
      }
    }
    return dir;
  }

  private static Process submit(String runId) throws IOException {
    Path jar = jobJar();
    return cluster.submit(runId, jar, PretrainJob.class.getName(), List.of("spark.executor.memory=640m"),
        List.of("--config", config.toString(), "--set", "mixbt.run-id = " + runId));
  }

  /** The shaded job jar of this build (the package phase runs before failsafe's integration tests). */
  private static Path jobJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("basedir", "."), "target"))) {
      return files.filter(f -> f.getFileName().toString().matches("mixbt-job-.*-all\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("Cannot find job/target/mixbt-job-*-all.jar: run mvn verify"));
    }
  }

  private static List<ProcessHandle> awaitExecutors() {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (true) {
      List<ProcessHandle> executors = new ArrayList<>(cluster.executors(0));
      executors.addAll(cluster.executors(1));
      if (executors.size() == 2) {
        seen.addAll(executors);
        return executors;
      }
      assertTrue(System.nanoTime() < deadline, "executors did not start: " + cluster.log("a"));
      StandaloneCluster.sleep(100);
    }
  }

  /** The stdout of the executor a worker started for the application submitted after {@code before}. */
  private static Path awaitExecutorStdout(int worker, Set<Path> before) throws IOException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Path app : apps(worker)) {
        if (!before.contains(app)) {
          try (Stream<Path> executors = Files.list(app)) {
            var stdout = executors.map(e -> e.resolve("stdout")).filter(Files::exists).findFirst();
            if (stdout.isPresent()) {
              return stdout.get();
            }
          }
        }
      }
      StandaloneCluster.sleep(100);
    }
    throw new AssertionError("no executor started on worker " + worker);
  }

  private static Set<Path> apps(int worker) throws IOException {
    try (Stream<Path> apps = Files.list(cluster.workerDir(worker))) {
      return apps.filter(a -> a.getFileName().toString().startsWith("app-")).collect(Collectors.toSet());
    }
  }

  /** Waits until {@code count} lines of {@code file} match {@code regex} (the executor's step lines). */
  private static void awaitLines(Path file, String regex, int count, Process driver) throws IOException {
    while (Files.readAllLines(file).stream().filter(l -> l.matches(regex)).count() < count) {
      assertTrue(driver.isAlive(), "driver exited early");
      StandaloneCluster.sleep(20);
    }
  }

  /** The executor JVM whose work folder holds {@code stdout} (its folder name is the executor id). */
  private static ProcessHandle executorWriting(Path stdout) {
    String app = stdout.getParent().getParent().getFileName().toString();
    String executorId = stdout.getParent().getFileName().toString();
    return cluster.executors(0).stream()
        .filter(p -> {
          String c = p.info().commandLine().orElse("");
          return c.contains("--app-id " + app) && c.contains("--executor-id " + executorId + " ");
        })
        .findFirst().orElseThrow(() -> new AssertionError("executor " + executorId + " of " + app + " not running"));
  }

  private static String environment(ProcessHandle process) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ")).replace('\0', '\n');
  }

  /** Parameters and updater state (Adam's moments) of the run's last checkpoint, one after the other. */
  private static float[] finalWeights(String runId) {
    CheckpointStore store = CheckpointStore.open(work.resolve("checkpoints").toString(), runId, 2, new Configuration());
    assertTrue(store.latest().getName().endsWith("epoch-0002"), String.valueOf(store.latest()));
    var network = store.loadNetwork(store.latest());
    float[] params = network.params().toFloatVector();
    float[] updater = network.getUpdater().getStateViewArray().toFloatVector();
    float[] both = Arrays.copyOf(params, params.length + updater.length);
    System.arraycopy(updater, 0, both, params.length, updater.length);
    return both;
  }

  private static void assertSameWeights(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    double maxDiff = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (d > maxDiff) {
        maxDiff = d;
        at = i;
      }
    }
    System.out.printf("StandaloneClusterIT: final parameters and updater state differ from the undisturbed run's by"
        + " at most %.3g%n", maxDiff);
    assertTrue(maxDiff <= 1e-6, "weights differ from the undisturbed run's by up to " + maxDiff + " (value " + at
        + " of " + expected.length + ", parameters then updater state)");
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
