package org.mixbt.prep.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.shard.ShardStore;
import org.mixbt.prep.IdxSource;
import org.mixbt.prep.PrepJob;
import org.mixbt.prep.cli.ExitStatus;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/**
 * Prep throughput beside the time to merely read the same input bytes: for Fashion-MNIST and for a
 * generated ImageFolder tree, runs {@code PrepJob} in this JVM (on a SparkSession started beforehand, so
 * Spark's start-up is not counted) and {@code cat} over the input files to /dev/null as a real process (after
 * one untimed cat, so both read from the page cache), then prints records/s, MB/s and the ratio prep/cat.
 * Run it with {@code deploy/mixbt prep-benchmark [options]}; {@code --help} lists the options.
 */
public final class PrepBenchmark {
  static final List<PrepOption> OPTIONS = List.of(
      PrepOption.optional("--fashion", "DIR", "/usr/share/datasets/fashion-mnist", "Fashion-MNIST IDX files"),
      PrepOption.optional("--work", "DIR", "work/prep-benchmark", "where the JPEG tree and the shards are written"),
      PrepOption.optional("--images", "N", "20000", "JPEGs in the generated ImageFolder tree"),
      PrepOption.optional("--classes", "N", "100", "class folders in the tree"),
      PrepOption.optional("--min-side", "PX", "300", "smallest JPEG side"),
      PrepOption.optional("--max-side", "PX", "500", "largest JPEG side"),
      PrepOption.optional("--only", "CASE", null, "run one case: fashion-mnist or imagefolder"),
      PrepOption.optional("--repeat", "N", "2", "prep runs per case (the fastest is compared with cat)"),
      PrepOption.optional("--master", "URL", "local[*]", "Spark master"));

  private PrepBenchmark() {}

  /** The prep command line measured for Fashion-MNIST: adapt here when the idx options change. */
  static String[] fashionPrep(Path input, Path output) {
    return new String[] {"idx", "--input", input.toString(), "--output", output.toString(), "--dataset", "fashion-mnist"};
  }

  /** The prep command line measured for the ImageFolder tree: adapt here when the imagefolder options change. */
  static String[] imageFolderPrep(Path input, Path output) {
    // The generated tree is one split's root (<root>/<class>/<file>): given as --train.
    return new String[] {"imagefolder", "--train", input.toString(), "--dataset", "generated-jpegs", "--output",
        output.toString()};
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      System.out.println("Usage: PrepBenchmark [options]");
      OPTIONS.forEach(o -> System.out.println("  " + o.name() + " " + o.valueName() + "  " + o.help()
          + (o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")")));
      return;
    }
    PrepOptions o = PrepOptions.parse(OPTIONS, List.of(args));
    String only = o.oneOf("--only", List.of("fashion-mnist", "imagefolder"));
    Path work = o.path("--work");
    int repeat = o.intAtLeast("--repeat", 1);
    SparkSession.builder().master(o.string("--master")).appName("mixbt-prep-benchmark")
        .config("spark.ui.enabled", "false").getOrCreate();
    boolean ok = true;
    if (only == null || only.equals("fashion-mnist")) {
      Path in = o.path("--fashion");
      IdxSource source = new IdxSource(in, "fashion-mnist");
      List<Path> files = new ArrayList<>();
      source.splits().forEach(s -> files.addAll(source.sourceFiles(s)));
      Path out = work.resolve("shards-fashion-mnist");
      ok &= measure("fashion-mnist (idx)", files, fashionPrep(in, out), out, repeat);
    }
    if (only == null || only.equals("imagefolder")) {
      JpegTreeGenerator generator = new JpegTreeGenerator(o.intAtLeast("--images", 1), o.intAtLeast("--classes", 1),
          o.intAtLeast("--min-side", 8), o.intAtLeast("--max-side", 8), 1);
      Files.createDirectories(work);
      long t0 = System.nanoTime();
      Path tree = generator.generate(work);
      System.out.printf(Locale.ROOT, "JPEG tree %s ready in %.1f s%n", tree, (System.nanoTime() - t0) / 1e9);
      Path out = work.resolve("shards-imagefolder");
      ok &= measure("imagefolder (" + generator.name() + ")", JpegTreeGenerator.files(tree),
          imageFolderPrep(tree, out), out, repeat);
    }
    System.exit(ok ? 0 : 1);
  }

  /** Times cat and prep over the same files and prints the comparison; false if prep failed. */
  static boolean measure(String name, List<Path> files, String[] prepArgs, Path output, int repeat)
      throws IOException, InterruptedException {
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    catSeconds(files); // warms the page cache: prep and cat then both read from memory
    double cat = Math.min(catSeconds(files), catSeconds(files));
    double best = Double.MAX_VALUE;
    long records = 0;
    for (int run = 1; run <= repeat; run++) {
      JpegTreeGenerator.deleteTree(output);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      long t0 = System.nanoTime();
      int code = PrepJob.run(prepArgs, new PrintStream(OutputStream.nullOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (code != ExitStatus.OK) {
        System.out.printf(Locale.ROOT, "%s: prep failed (exit %d): %s", name, code, err.toString(StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "  cat: %.3f s for %d files, %.1f MB: %.1f MB/s%n", cat, files.size(), bytes / 1e6,
            bytes / 1e6 / cat);
        return false;
      }
      records = ShardStore.open(output.toString(), new Configuration()).manifest().splits().values().stream()
          .mapToLong(s -> s.records()).sum();
      System.out.printf(Locale.ROOT, "%s: prep run %d: %.2f s%n", name, run, seconds);
      best = Math.min(best, seconds);
    }
    System.out.printf(Locale.ROOT, "%s: %d records, %d input files, %.1f MB%n", name, records, files.size(), bytes / 1e6);
    System.out.printf(Locale.ROOT, "  prep (fastest of %d): %8.3f s %10.0f records/s %8.1f MB/s%n", repeat, best,
        records / best, bytes / 1e6 / best);
    System.out.printf(Locale.ROOT, "  cat to /dev/null:   %8.3f s %10.0f records/s %8.1f MB/s%n", cat, records / cat,
        bytes / 1e6 / cat);
    System.out.printf(Locale.ROOT, "  ratio prep/cat: %.1f%n", best / cat);
    return true;
  }

  /** Seconds for {@code xargs -0 cat} over the files (list on stdin, so no argument-length limit), output discarded. */
  static double catSeconds(List<Path> files) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("xargs", "-0", "cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try (OutputStream list = p.getOutputStream()) {
      for (Path f : files) {
        list.write(f.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
        list.write(0);
      }
    }
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (code != 0) {
      throw new IOException("Cannot time cat over " + files.size() + " files: xargs cat exited with " + code);
    }
    return seconds;
  }
}
