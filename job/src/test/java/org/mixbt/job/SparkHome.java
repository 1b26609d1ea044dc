package org.mixbt.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark installation made of the jars the build already resolved: {@code <home>/jars/} holds links to
 * Spark, Hadoop and their dependencies as listed by the job module's package phase
 * ({@code target/provided-classpath.txt}: the provided scope; {@code target/spark-shared-classpath.txt}:
 * Spark's dependencies that Maven put in the compile scope because mixbt uses them too). Spark's launcher
 * builds the executors' class path from {@code $SPARK_HOME/jars/*}, as in a Spark distribution.
 */
final class SparkHome {
  static final String[] CLASSPATH_FILES = {"provided-classpath.txt", "spark-shared-classpath.txt"};

  private SparkHome() {
  }

  static Path create(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : jarsOfTheBuild()) {
      Path link = jars.resolve(Path.of(jar).getFileName());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(jar));
      }
    }
    return home;
  }

  private static List<String> jarsOfTheBuild() throws IOException {
    Path target = Path.of(System.getProperty("basedir", "."), "target");
    List<String> jars = new ArrayList<>();
    for (String name : CLASSPATH_FILES) {
      Path file = target.resolve(name);
      if (!Files.exists(file)) {
        throw new IllegalStateException("Cannot make a Spark home: " + file + " is missing (written by the job"
            + " module's package phase: run the test through mvn verify)");
      }
      for (String jar : Files.readString(file).strip().split(java.io.File.pathSeparator)) {
        if (!jar.isBlank()) {
          jars.add(jar);
        }
      }
    }
    return jars;
  }
}
