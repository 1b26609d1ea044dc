package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one-time shuffle before sharding, without Spark. */
class ShardPermutationTest {
  @Test
  void permutationIsSeededAndComplete() {
    int[] p = SparkShardWriter.permutation(1000, 5);
    assertArrayEquals(p, SparkShardWriter.permutation(1000, 5));
    assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(p).sorted().toArray());
    assertTrue(!Arrays.equals(p, SparkShardWriter.permutation(1000, 6)));
  }
}
