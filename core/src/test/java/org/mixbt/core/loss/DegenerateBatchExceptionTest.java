package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Degenerate batches and bad arguments: which exception, and what its message says. */
class DegenerateBatchExceptionTest {
  private static final MixedBarlowTwinsLoss LOSS = new MixedBarlowTwinsLoss(0.0078125, 4.0);
  private static final int[] PERM = {2, 0, 3, 1};

  @Test
  void namesTheMixedView() {
    INDArray m = varied(4, 3, 3);
    m.putColumn(1, Nd4j.valueArrayOf(new long[] {4, 1}, 0.25));
    DegenerateBatchException e = assertThrows(DegenerateBatchException.class,
        () -> LOSS.mixed(varied(4, 3, 1), varied(4, 3, 2), m, 0.5, PERM));
    assertEquals("mixed", e.view());
    assertArrayEquals(new int[] {1}, e.columns());
  }

  @Test
  void namesView2AndSortsItsColumns() {
    INDArray v2 = varied(4, 5, 2);
    for (int col : new int[] {4, 0, 3}) {
      v2.putColumn(col, Nd4j.valueArrayOf(new long[] {4, 1}, -1.0));
    }
    DegenerateBatchException e = assertThrows(DegenerateBatchException.class,
        () -> LOSS.plain(varied(4, 5, 1), v2));
    assertEquals("view2", e.view());
    assertArrayEquals(new int[] {0, 3, 4}, e.columns());
    assertTrue(e.getMessage().endsWith("N=4 rows: columns [0, 3, 4]"), e.getMessage());
  }

  @Test
  void constantColumnWhoseMeanRoundsIsStillCaught() {
    // 0.1 * 7 / 7 != 0.1 in binary, so a naive std of this column is ~1e-17, not 0
    INDArray v1 = varied(7, 2, 1);
    v1.putColumn(0, Nd4j.valueArrayOf(new long[] {7, 1}, 0.1));
    DegenerateBatchException e = assertThrows(DegenerateBatchException.class,
        () -> LOSS.plain(v1, varied(7, 2, 2)));
    assertArrayEquals(new int[] {0}, e.columns());
  }

  @Test
  void nonFiniteInputIsCaught() {
    INDArray v1 = varied(4, 3, 1);
    v1.putScalar(2, 2, Double.NaN);
    v1.putScalar(0, 1, Double.POSITIVE_INFINITY);
    DegenerateBatchException e = assertThrows(DegenerateBatchException.class,
        () -> LOSS.plain(v1, varied(4, 3, 2)));
    assertArrayEquals(new int[] {1, 2}, e.columns());
  }

  @Test
  void longColumnListIsTruncatedAfterTwenty() {
    int[] all = IntStream.range(0, 32).toArray();
    DegenerateBatchException e = new DegenerateBatchException("view1", all, 16);
    assertEquals("Cannot standardise view1 for the Barlow Twins loss: zero or non-finite std over N=16"
        + " rows: columns [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,"
        + " ... (12 more)]", e.getMessage());
    assertEquals(32, e.columns().length);
  }

  @Test
  void badArgumentsAreProgrammingErrors() {
    INDArray a = varied(4, 3, 1);
    INDArray b = varied(4, 3, 2);
    INDArray m = varied(4, 3, 3);
    assertMessage("alpha must be in [0, 1]: 1.5", () -> LOSS.mixed(a, b, m, 1.5, PERM));
    assertMessage("perm length must equal N=4: 3", () -> LOSS.mixed(a, b, m, 0.5, new int[] {0, 1, 2}));
    assertMessage("entry 3 is 1", () -> LOSS.mixed(a, b, m, 0.5, new int[] {0, 1, 2, 1}));
    assertMessage("out2 shape differs from out1: [4, 2] vs [4, 3]", () -> LOSS.plain(a, varied(4, 2, 2)));
    assertMessage("outM data type differs from out1: FLOAT vs DOUBLE",
        () -> LOSS.mixed(a, b, m.castTo(DataType.FLOAT), 0.5, PERM));
  }

  private static void assertMessage(String expectedEnd, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith("Cannot compute") && e.getMessage().endsWith(expectedEnd),
        e.getMessage());
  }

  /** A deterministic [n, d] float64 matrix with no constant column. */
  private static INDArray varied(int n, int d, int seed) {
    INDArray x = Nd4j.create(DataType.DOUBLE, n, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x.putScalar(i, j, Math.sin(seed * 7.1 + i * 1.3 + j * j * 0.7 + i * j));
      }
    }
    return x;
  }
}
