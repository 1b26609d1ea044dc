package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Argument parsing and the shuffle permutation, without Spark. */
class PrepArgsTest {
  @Test
  void defaultsAndAllOptions() {
    PrepArgs a = PrepArgs.parse(new String[] {"idx", "--input", "in", "--output", "hdfs://nn/x", "--dataset", "mnist"});
    assertEquals(new PrepArgs(Path.of("in"), "hdfs://nn/x", "mnist", 4, 0, false, null, false), a);
    PrepArgs b = PrepArgs.parse(new String[] {"idx", "--dataset", "fashion-mnist", "--input", "in", "--output", "o",
        "--shards", "8", "--seed", "-3", "--overwrite", "--master", "local[2]"});
    assertEquals(new PrepArgs(Path.of("in"), "o", "fashion-mnist", 8, -3, true, "local[2]", false), b);
    assertTrue(PrepArgs.parse(new String[] {"--help"}).help());
  }

  @Test
  void badArgumentsSayWhy() {
    assertEquals("missing required option --output", error("idx", "--input", "in", "--dataset", "mnist"));
    assertEquals("missing value for --input", error("idx", "--input", "--output", "o", "--dataset", "mnist"));
    assertEquals("unknown argument: --shard", error("idx", "--shard", "3"));
    assertEquals("--shards must be at least 1: 0",
        error("idx", "--input", "i", "--output", "o", "--dataset", "mnist", "--shards", "0"));
    assertEquals("expected the source kind 'idx' first", error());
  }

  @Test
  void permutationIsSeededAndComplete() {
    int[] p = SparkShardWriter.permutation(1000, 5);
    assertArrayEquals(p, SparkShardWriter.permutation(1000, 5));
    assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(p).sorted().toArray());
    assertTrue(!Arrays.equals(p, SparkShardWriter.permutation(1000, 6)));
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> PrepArgs.parse(args)).getMessage();
  }
}
