package org.mixbt.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real multi-process Spark standalone cluster on loopback, for tests: a master and workers as separate
 * JVMs started from the Spark jars the build resolved (no Spark download), applications submitted through
 * Spark's own {@code SparkSubmit} in client deploy mode, so the driver is a process of its own too, and the
 * workers fork real executor JVMs. Every process it starts is stopped by {@link #close} (also from a JVM
 * shutdown hook, should a test run be interrupted); logs stay in the cluster's folder.
 */
final class StandaloneCluster implements AutoCloseable {
  static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final Path sparkHome;
  private final int masterPort;
  private final List<String> moduleOptions = moduleOptions();
  private final List<Process> workers = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopAll, "standalone-cluster-stop");

  private StandaloneCluster(Path dir) throws IOException {
    this.dir = dir;
    this.sparkHome = SparkHome.create(dir.resolve("spark-home"));
    this.masterPort = freePort();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a master and {@code workerCount} workers (1 core, {@code workerMemory} each, e.g. "1g") and waits
   * until every worker has registered with the master.
   */
  static StandaloneCluster start(Path dir, int workerCount, String workerMemory) throws IOException {
    Files.createDirectories(dir);
    StandaloneCluster cluster = new StandaloneCluster(dir);
    try {
      cluster.launch("master", List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
          List.of("--host", "127.0.0.1", "--port", Integer.toString(cluster.masterPort), "--webui-port", "0"));
      for (int i = 0; i < workerCount; i++) {
        Path workDir = Files.createDirectories(cluster.workerDir(i));
        cluster.workers.add(cluster.launch("worker-" + i, List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker",
            List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", workerMemory,
                "--work-dir", workDir.toString(), cluster.masterUrl())));
      }
      for (int i = 0; i < workerCount; i++) {
        cluster.awaitLog("worker-" + i, cluster.workers.get(i), "Successfully registered with master");
      }
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  Path workerDir(int worker) {
    return dir.resolve("work-" + worker);
  }

  /**
   * Submits an application in client deploy mode: the returned process is the driver. Executors get one
   * core, {@code executorMemory} of heap, OMP_NUM_THREADS=1, the oneDNN build of ND4J and a bounded
   * off-heap; Spark adds the JDK 17 module options to their command lines itself.
   *
   * @param name the application's name; the driver's output goes to {@code <dir>/<name>.log}
   * @param sparkConf further {@code key=value} settings for spark-submit's --conf
   */
  Process submit(String name, Path appJar, String mainClass, List<String> sparkConf, List<String> args)
      throws IOException {
    List<String> submit = new ArrayList<>(List.of("--master", masterUrl(), "--deploy-mode", "client", "--name", name,
        "--class", mainClass));
    List<String> conf = new ArrayList<>(List.of("spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
        "spark.ui.enabled=false", "spark.executor.cores=1", "spark.cores.max=" + workers.size(),
        "spark.executorEnv.OMP_NUM_THREADS=1", "spark.executor.extraJavaOptions=" + nd4jOptions("1g", "2g")));
    conf.addAll(sparkConf);
    for (String c : conf) {
      submit.add("--conf");
      submit.add(c);
    }
    submit.add(appJar.toString());
    submit.addAll(args);
    List<String> jvm = new ArrayList<>(List.of("-Xmx768m"));
    jvm.addAll(List.of(nd4jOptions("1g", "2g").split(" ")));
    Path log4j = logConfig();
    jvm.add("-Dlog4j2.configurationFile=" + log4j);
    return launch(name, jvm, "org.apache.spark.deploy.SparkSubmit", submit);
  }

  /** The executor JVMs that a worker has forked (children running {@link #EXECUTOR_MAIN}). */
  List<ProcessHandle> executors(int worker) {
    return workers.get(worker).toHandle().children()
        .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_MAIN))
        .toList();
  }

  /** The contents of a process's log ({@code <dir>/<name>.log}). */
  String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a driver (or any process started here) to exit; kills it and fails after {@code timeout}. */
  static int await(Process process, Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("Process " + process.pid() + " did not finish within " + timeout);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // close() called from the hook itself, or during shutdown: nothing left to deregister
    }
    deleteAppJarCopies();
  }

  /**
   * Drivers and workers first (their executors with them), the master last: each gets SIGTERM and 10 s,
   * then SIGKILL. Executors are stopped by their own pids too, since a killed worker leaves them running.
   */
  private synchronized void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      stop(p.toHandle());
      children.forEach(StandaloneCluster::stop);
    }
    started.clear();
  }

  private static void stop(ProcessHandle p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      p.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception notYet) {
      p.destroyForcibly();
    }
  }

  /** Each executor keeps a copy of the application jar (160 MB) in its work folder; logs are kept. */
  private void deleteAppJarCopies() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(f -> f.getFileName().toString().endsWith(".jar") && !f.startsWith(sparkHome))
          .forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a left-over jar in target/ is not worth failing a test for
    }
  }

  private Process launch(String name, List<String> jvmOptions, String mainClass, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(moduleOptions);
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    // Spark's launcher otherwise looks for a build tree to guess the Scala version.
    env.put("SPARK_SCALA_VERSION", "2.12");
    // Every socket and the master's and workers' web UIs (which cannot be turned off) on loopback.
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("OMP_NUM_THREADS", "1");
    synchronized (this) {
      Process process = builder.start();
      started.add(process);
      return process;
    }
  }

  private void awaitLog(String name, Process process, String line) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!log(name).contains(line)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("Cannot start the standalone cluster: " + name + " "
            + (process.isAlive() ? "did not log \"" + line + "\" within " + START_TIMEOUT : "exited")
            + "; see " + dir.resolve(name + ".log") + ":\n" + tail(log(name), 2000));
      }
      sleep(100);
    }
  }

  static String tail(String text, int chars) {
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String nd4jOptions(String maxBytes, String maxPhysicalBytes) {
    return "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2 -Dorg.bytedeco.javacpp.maxbytes=" + maxBytes
        + " -Dorg.bytedeco.javacpp.maxphysicalbytes=" + maxPhysicalBytes;
  }

  /** The drivers log Spark's warnings (a lost executor, a lost task) besides mixbt's own lines. */
  private Path logConfig() throws IOException {
    Path file = dir.resolve("driver-log4j2.properties");
    if (!Files.exists(file)) {
      Files.writeString(file, String.join("\n", "rootLogger.level = warn",
          "rootLogger.appenderRef.console.ref = console", "appender.console.type = Console",
          "appender.console.name = console", "appender.console.target = SYSTEM_ERR",
          "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
          "logger.mixbt.name = org.mixbt", "logger.mixbt.level = info", ""));
    }
    return file;
  }

  /** The JDK 17 module options this test JVM runs with (the build's list), for the cluster's JVMs. */
  private static List<String> moduleOptions() {
    List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
            || a.startsWith("-Djdk.reflect.useDirectMethodHandle"))
        .toList();
    if (options.stream().noneMatch(a -> a.contains("sun.nio.ch"))) {
      throw new IllegalStateException("Cannot start the standalone cluster: this JVM lacks the --add-opens options"
          + " Spark needs (run it through Maven, whose argLine has them)");
    }
    return options;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
