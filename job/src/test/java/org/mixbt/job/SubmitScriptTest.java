package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/submit --dry-run for each master kind: the spark-submit command it prints, read back into words by
 * bash itself (so the printed line is also valid shell), against the sizes computed here from the rule in
 * the script's comment: overhead = off-heap + headroom, maxphysicalbytes = heap + off-heap + headroom / 2,
 * headroom = max(1 GiB, (heap + off-heap) / 10).
 */
class SubmitScriptTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String SCRIPT = ROOT.resolve("deploy/submit").toString();
  private static final String CONFIG = ROOT.resolve("conf/fashion-mnist-demo.conf").toString();
  private static final String JAR = ROOT.resolve("job/target/mixbt-job-0.1.0-SNAPSHOT-all.jar").toString();

  private record Result(int exit, String out, String err) {
  }

  @Test
  void localMasterRunsEverythingInTheDriverWithJavacppLimits() throws Exception {
    List<String> w = words(dryRun("pretrain", "--master", "local[4]", "--executor-memory", "6g", "--config", CONFIG,
        "--", "--set", "mixbt.training.epochs=2"));
    assertEquals("spark-submit", w.get(0));
    assertPair(w, "--master", "local[4]");
    assertPair(w, "--class", "org.mixbt.job.PretrainJob");
    assertPair(w, "--driver-memory", "6144m");
    assertPair(w, "--conf", "spark.driver.extraJavaOptions=" + javacpp(6144, 6144, "-onednn-avx2"));
    assertFalse(w.contains("--executor-memory") || w.contains("--files"));
    assertEquals(List.of(JAR, "--config", CONFIG, "--set", "mixbt.training.epochs=2"), tail(w, JAR));
  }

  @Test
  void standaloneGetsOneTaskPerExecutorAndAllItsCoresForOpenMp() throws Exception {
    List<String> w = words(dryRun("pretrain", "--master", "spark://10.0.0.1:7077", "--executors", "3",
        "--executor-cores", "8", "--executor-memory", "16g", "--executor-offheap", "24g", "--config", CONFIG));
    assertPair(w, "--executor-memory", "16384m");
    assertPair(w, "--executor-cores", "8");
    assertPair(w, "--total-executor-cores", "24");
    assertConf(w, "spark.task.cpus=8");
    assertConf(w, "spark.executorEnv.OMP_NUM_THREADS=8");
    assertConf(w, "spark.dynamicAllocation.enabled=false");
    assertConf(w, "spark.executor.extraJavaOptions=" + javacpp(16384, 24576, "-onednn-avx2"));
    assertConf(w, "spark.driver.extraJavaOptions=" + javacpp(4096, 4096, "-onednn-avx2"));
    // Client mode: the driver reads the run file where it is; one DL4J worker per executor.
    assertEquals(List.of(JAR, "--set", "mixbt.spark.workers=3", "--config", CONFIG), tail(w, JAR));
    assertFalse(w.contains("--files"));
  }

  @Test
  void yarnClusterModeShipsTheConfigAndSizesTheContainers() throws Exception {
    List<String> w = words(dryRun("pretrain", "--master", "yarn", "--deploy-mode", "cluster", "--executors", "4",
        "--executor-cores", "16", "--executor-memory", "32g", "--driver-memory", "8g", "--config", CONFIG,
        "--conf", "spark.yarn.queue=train", "--", "--set", "mixbt.spark.workers=2"));
    assertPair(w, "--deploy-mode", "cluster");
    assertPair(w, "--num-executors", "4");
    assertConf(w, "spark.executor.memoryOverhead=" + (32768 + headroom(32768, 32768)) + "m");
    assertConf(w, "spark.driver.memoryOverhead=" + (8192 + headroom(8192, 8192)) + "m");
    assertConf(w, "spark.yarn.appMasterEnv.OMP_NUM_THREADS=16");
    assertConf(w, "spark.executorEnv.OMP_NUM_THREADS=16");
    assertConf(w, "spark.yarn.queue=train");
    assertPair(w, "--files", CONFIG);
    // The driver runs in a container and finds the shipped file by its bare name; the user's --set wins.
    assertEquals(List.of(JAR, "--set", "mixbt.spark.workers=4", "--config", "fashion-mnist-demo.conf", "--set",
        "mixbt.spark.workers=2"), tail(w, JAR));
  }

  @Test
  void kubernetesNeedsAnImageAndGetsInstancesOverheadAndTheUploadPath() throws Exception {
    Result noImage = run("pretrain", "--master", "k8s://https://api:6443", "--dry-run");
    assertEquals(2, noImage.exit());
    assertEquals("submit: Cannot submit to k8s://https://api:6443: --image (the container image) is required\n",
        noImage.err());
    List<String> w = words(dryRun("pretrain", "--master", "k8s://https://api:6443", "--deploy-mode", "cluster",
        "--image", "registry/mixbt:0.1", "--namespace", "ml", "--upload-path", "s3a://b/up", "--jar",
        "local:///opt/mixbt/job.jar", "--executors", "2", "--config", CONFIG, "--backend", "cuda", "--gpus", "2"));
    assertConf(w, "spark.kubernetes.container.image=registry/mixbt:0.1");
    assertConf(w, "spark.kubernetes.namespace=ml");
    assertConf(w, "spark.kubernetes.file.upload.path=s3a://b/up");
    assertConf(w, "spark.executor.instances=2");
    assertConf(w, "spark.kubernetes.driverEnv.OMP_NUM_THREADS=4");
    assertConf(w, "spark.executor.memoryOverhead=" + (8192 + headroom(8192, 8192)) + "m");
    // The CUDA build: cuDNN's library variant, two GPUs to the executor's single task, one for the driver.
    assertConf(w, "spark.executor.extraJavaOptions=" + javacpp(8192, 8192, "-cudnn"));
    assertConf(w, "spark.executor.resource.gpu.amount=2");
    assertConf(w, "spark.task.resource.gpu.amount=2");
    assertConf(w, "spark.driver.resource.gpu.amount=1");
    assertConf(w, "spark.executor.resource.gpu.vendor=nvidia.com");
    assertPair(w, "--files", CONFIG);
    assertEquals(List.of("local:///opt/mixbt/job.jar", "--set", "mixbt.spark.workers=2", "--config",
        "fashion-mnist-demo.conf"), tail(w, "local:///opt/mixbt/job.jar"));
  }

  @Test
  void prepJobGetsItsOwnJarAndNoWorkerSetting() throws Exception {
    List<String> w = words(dryRun("prep", "--master", "yarn", "--", "idx", "--input", "/data", "--output", "hdfs:///s"));
    String prepJar = ROOT.resolve("datasets-prep/target/mixbt-datasets-prep-0.1.0-SNAPSHOT-all.jar").toString();
    assertPair(w, "--class", "org.mixbt.prep.PrepJob");
    assertEquals(List.of(prepJar, "idx", "--input", "/data", "--output", "hdfs:///s"), tail(w, prepJar));
  }

  @Test
  void badOptionsAreRefusedNamingTheOption() throws Exception {
    assertRefused("submit: Cannot use --executors 0: a positive whole number", "--master", "yarn", "--executors", "0");
    assertRefused("submit: Cannot use --executor-memory lots: a size such as 8g or 4096m", "--master", "yarn",
        "--executor-memory", "lots");
    assertRefused("submit: Cannot use --master mesos://m:5050: local[N], spark://HOST:PORT, yarn or"
        + " k8s://https://HOST:PORT", "--master", "mesos://m:5050");
    assertRefused("submit: Cannot use --deploy-mode cluster with --master local[2]", "--deploy-mode", "cluster");
    assertRefused("submit: Cannot ship --config /no/such.conf: no such file", "--config", "/no/such.conf");
    assertRefused("submit: Cannot use --gpus 1 with --backend cpu", "--master", "yarn", "--gpus", "1");
    assertRefused("submit: unknown option: --num-gpus (spark-submit options go through --conf KEY=VALUE; job"
        + " arguments after --)", "--num-gpus", "1");
  }

  private static void assertRefused(String message, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("pretrain"));
    args.addAll(List.of(options));
    args.add("--dry-run");
    Result r = run(args.toArray(String[]::new));
    assertEquals(2, r.exit(), r.out());
    assertEquals(message + "\n", r.err());
  }

  private static long headroom(long heap, long offheap) {
    return Math.max(1024, (heap + offheap) / 10);
  }

  private static String javacpp(long heap, long offheap, String extension) {
    return "-Dorg.bytedeco.javacpp.maxbytes=" + offheap + "m -Dorg.bytedeco.javacpp.maxphysicalbytes="
        + (heap + offheap + headroom(heap, offheap) / 2) + "m -Dorg.bytedeco.javacpp.platform.extension=" + extension;
  }

  private static void assertPair(List<String> words, String key, String value) {
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals(key) && words.get(i + 1).equals(value)) {
        return;
      }
    }
    throw new AssertionError(key + " " + value + " not in " + words);
  }

  private static void assertConf(List<String> words, String keyValue) {
    assertPair(words, "--conf", keyValue);
  }

  /** The words from {@code first} to the end: the jar and the job's arguments. */
  private static List<String> tail(List<String> words, String first) {
    int i = words.indexOf(first);
    assertTrue(i > 0, first + " not in " + words);
    return words.subList(i, words.size());
  }

  private static String dryRun(String... args) throws Exception {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    int dash = all.indexOf("--");
    all.add(dash < 0 ? all.size() : dash, "--dry-run");
    Result r = run(all.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    return r.out();
  }

  /** The printed command split into words by bash ({@code eval set --}), so quoting is checked too. */
  private static List<String> words(String line) throws Exception {
    Result r = exec(List.of("bash", "-c", "eval \"set -- $1\"; printf '%s\\n' \"$@\"", "_", line.strip()));
    assertEquals(0, r.exit(), r.err());
    return List.of(r.out().split("\n"));
  }

  private static Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT));
    command.addAll(List.of(args));
    return exec(command);
  }

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    // The defaults under test, not whatever the developer's shell exports.
    pb.environment().keySet().removeIf(k -> k.startsWith("MIXBT_"));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    return new Result(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }
}
