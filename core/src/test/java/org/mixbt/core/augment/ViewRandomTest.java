package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ViewRandomTest {

  private static long[] draws(SplittableRandom rng, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextLong();
    }
    return a;
  }

  @Test
  void sameKeyGivesSameStream() {
    assertArrayEquals(draws(ViewRandom.forView(42, 3, 1234, 1), 16),
        draws(ViewRandom.forView(42, 3, 1234, 1), 16));
  }

  @Test
  void everyKeyComponentChangesTheStream() {
    long base = ViewRandom.viewSeed(42, 3, 1234, 0);
    assertNotEquals(base, ViewRandom.viewSeed(42, 3, 1234, 1));
    assertNotEquals(base, ViewRandom.viewSeed(42, 3, 1235, 0));
    assertNotEquals(base, ViewRandom.viewSeed(42, 4, 1234, 0));
    assertNotEquals(base, ViewRandom.viewSeed(43, 3, 1234, 0));
  }

  @Test
  void noCollisionsOverARunSizedGrid() {
    // 3 seeds x 8 epochs x 5000 records x 2 views: any structural weakness (e.g. XOR-ing the raw ids
    // together) would collide here, since (epoch 1, record 0) and (epoch 0, record 1) would coincide.
    Set<Long> seen = new HashSet<>();
    int n = 0;
    for (long seed = 0; seed < 3; seed++) {
      for (int epoch = 0; epoch < 8; epoch++) {
        for (long record = 0; record < 5000; record++) {
          for (int view = 0; view < 2; view++) {
            seen.add(ViewRandom.viewSeed(seed, epoch, record, view));
            n++;
          }
        }
      }
    }
    assertEquals(n, seen.size());
  }

  @Test
  void neighbouringViewsLookIndependent() {
    // Adjacent record ids must give unrelated first draws: the fraction of equal bits between the first
    // doubles of views (r, 0) and (r, 1) should be ~1/2 on average, as for independent streams.
    long equalBits = 0;
    int records = 2000;
    for (long r = 0; r < records; r++) {
      long a = ViewRandom.forView(7, 0, r, 0).nextLong();
      long b = ViewRandom.forView(7, 0, r, 1).nextLong();
      equalBits += Long.bitCount(~(a ^ b));
    }
    double fraction = equalBits / (64.0 * records);
    assertEquals(0.5, fraction, 0.01); // sd of the fraction is 0.5/sqrt(128000) = 0.0014
  }

  @Test
  void rejectsNegativeEpochAndView() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViewRandom.forView(1, -1, 0, 0));
    assertEquals("Cannot derive view seed: epoch is negative: -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ViewRandom.forView(1, 0, 0, -2));
    assertEquals("Cannot derive view seed: view index is negative: -2", e.getMessage());
  }
}
