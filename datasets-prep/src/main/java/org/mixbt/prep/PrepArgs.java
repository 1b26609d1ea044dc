package org.mixbt.prep;

import java.nio.file.Path;

/** Command line of {@link PrepJob}, parsed strictly: unknown options and missing values are errors. */
record PrepArgs(Path input, String output, String dataset, int shards, long seed, boolean overwrite,
    String master, boolean help) {

  static final String USAGE = String.join("\n",
      "Usage: PrepJob idx --input DIR --output PATH --dataset fashion-mnist|mnist",
      "                   [--shards N] [--seed S] [--overwrite] [--master URL]",
      "  idx           read MNIST-format IDX files (train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz]) from DIR",
      "  --input DIR   local directory holding the four IDX files, gzipped or plain",
      "  --output PATH shard root to create (file://, hdfs://, or a local path); refused if it exists",
      "  --dataset     fashion-mnist or mnist (sets the class names)",
      "  --shards N    Parquet shards per split (default 4)",
      "  --seed S      seed of the one-time record shuffle (default 0)",
      "  --overwrite   replace an existing output (removed only after the new one is complete)",
      "  --master URL  Spark master (default: as set by spark-submit, else local[*])",
      "  --help        print this message");

  static PrepArgs parse(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      return new PrepArgs(null, null, null, 4, 0, false, null, true);
    }
    if (args.length == 0 || !args[0].equals("idx")) {
      throw new IllegalArgumentException("expected the source kind 'idx' first" + (args.length == 0 ? "" : ", got: " + args[0]));
    }
    Path input = null;
    String output = null;
    String dataset = null;
    String master = null;
    int shards = 4;
    long seed = 0;
    boolean overwrite = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return new PrepArgs(null, null, null, 4, 0, false, null, true);
        }
        case "--overwrite" -> overwrite = true;
        case "--input" -> input = Path.of(value(args, ++i, a));
        case "--output" -> output = value(args, ++i, a);
        case "--dataset" -> dataset = value(args, ++i, a);
        case "--master" -> master = value(args, ++i, a);
        case "--shards" -> shards = parseInt(value(args, ++i, a), a);
        case "--seed" -> seed = parseLong(value(args, ++i, a), a);
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    require(input != null, "--input");
    require(output != null, "--output");
    require(dataset != null, "--dataset");
    if (shards < 1) {
      throw new IllegalArgumentException("--shards must be at least 1: " + shards);
    }
    return new PrepArgs(input, output, dataset, shards, seed, overwrite, master, false);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException("missing value for " + option);
    }
    return args[i];
  }

  private static int parseInt(String s, String option) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer for " + option + ": " + s);
    }
  }

  private static long parseLong(String s, String option) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer for " + option + ": " + s);
    }
  }

  private static void require(boolean present, String option) {
    if (!present) {
      throw new IllegalArgumentException("missing required option " + option);
    }
  }
}
