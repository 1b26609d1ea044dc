package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.data.image.ImageFixtures;
import org.mixbt.core.shard.ShardManifest;

/**
 * Prep throughput on a generated ImageFolder tree of {@code -Dbench.images=N} 375×500 JPEGs (ImageNet's most
 * common size) in 10 classes, next to the time to just read the same bytes. Run with
 * {@code mvn -pl datasets-prep -am verify -Dtest=none -Dit.test=EncodedPrepBenchmarkIT -Dbench.images=3000}.
 */
@EnabledIfSystemProperty(named = "bench.images", matches = "\\d+")
class EncodedPrepBenchmarkIT {
  @TempDir Path tmp;

  @Test
  void imageFolderThroughput() throws IOException {
    int n = Integer.parseInt(System.getProperty("bench.images"));
    int resize = Integer.parseInt(System.getProperty("bench.resize", "0"));
    Path root = tmp.resolve("tree");
    long generated = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Path f = root.resolve("train/class" + (i % 10) + "/img_" + i + ".JPEG");
      Files.createDirectories(f.getParent());
      Files.write(f, ImageFixtures.encode(ImageFixtures.rgb(375, 500, i), "jpeg"));
    }
    System.out.printf(Locale.ROOT, "generated %d JPEGs in %.1f s%n", n, (System.nanoTime() - generated) / 1e9);
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    long readStart = System.nanoTime();
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (int r; (r = in.read(buf)) >= 0; ) {
          bytes += r;
        }
      }
    }
    double readSeconds = (System.nanoTime() - readStart) / 1e9;
    long decodeStart = System.nanoTime();
    for (Path f : files) {
      ImageDecoder.decode(Files.readAllBytes(f), f.toString());
    }
    double decodeSeconds = (System.nanoTime() - decodeStart) / 1e9;
    System.out.printf(Locale.ROOT, "decode only, one thread: %.0f images/s%n", n / decodeSeconds);
    SparkSession spark = SparkSession.builder().master("local[*]").appName("EncodedPrepBenchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted e) {
        var info = e.stageInfo();
        long ms = (Long) info.completionTime().get() - (Long) info.submissionTime().get();
        System.out.printf(Locale.ROOT, "stage %d (%d tasks) %.1f s: %s%n", info.stageId(), info.numTasks(), ms / 1e3,
            info.name());
      }
    });
    try {
      long start = System.nanoTime();
      ShardManifest m = new EncodedShardWriter(spark, 8, 0, false, "bench", resize, System.out).write(ImageFolderSource.ofRoot("bench", root.toString(), new Configuration()),
          tmp.resolve("out").toString());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "prep (resize %d): %d records, %.1f MB in %.1f s: %.0f records/s, %.1f MB/s; "
          + "reading the same bytes (cat): %.2f s, %.0f MB/s; prep/read time ratio %.1f; cores %d%n", resize,
          m.splits().get("train").records(), bytes / 1e6, seconds, n / seconds, bytes / 1e6 / seconds, readSeconds,
          bytes / 1e6 / readSeconds, seconds / readSeconds, Runtime.getRuntime().availableProcessors());
    } finally {
      spark.stop();
    }
  }
}
