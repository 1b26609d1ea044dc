package org.mixbt.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The heap selection against a full stable sort, on rows with many exact ties. */
class TopKSelectorTest {

  @Test
  void equalsFullSortBySimilarityDescThenIndexAsc() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 300; trial++) {
      int m = 1 + rnd.nextInt(60);
      int k = 1 + rnd.nextInt(m);
      double[] row = new double[m];
      for (int j = 0; j < m; j++) {
        row[j] = rnd.nextInt(5) / 4.0 - 0.5; // five distinct values: ties everywhere
      }
      int[] expected = IntStream.range(0, m).boxed()
          .sorted(Comparator.<Integer>comparingDouble(j -> -row[j]).thenComparingInt(j -> j))
          .limit(k).mapToInt(Integer::intValue).toArray();
      TopKSelector selector = new TopKSelector(k);
      int[] idx = new int[k];
      double[] sims = new double[k];
      selector.select(row, m, idx, sims);
      assertArrayEquals(expected, idx, "m=" + m + " k=" + k + " row=" + Arrays.toString(row));
      float[] floats = new float[m];
      for (int j = 0; j < m; j++) {
        floats[j] = (float) row[j];
      }
      selector.select(floats, m, idx, sims); // reuse must not leak state between rows
      assertArrayEquals(expected, idx);
      assertArrayEquals(Arrays.stream(expected).mapToDouble(j -> row[j]).toArray(), sims);
    }
  }
}
