package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PixelLayoutTest {
  // Two planes (channels) of 2 rows x 3 columns after one leading byte.
  static final byte[] PLANES = {99, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16};

  @Test
  void rowMajorPlanesToHwc() {
    // Plane 0 rows: [1 2 3] [4 5 6]; plane 1: [11 12 13] [14 15 16].
    assertArrayEquals(new byte[] {1, 11, 2, 12, 3, 13, 4, 14, 5, 15, 6, 16},
        PixelLayout.planarToHwc(PLANES, 1, 2, 3, 2, false));
  }

  @Test
  void columnMajorPlanesToHwc() {
    // Plane 0 columns: [1 2] [3 4] [5 6], so row 0 is 1 3 5 and row 1 is 2 4 6.
    assertArrayEquals(new byte[] {1, 11, 3, 13, 5, 15, 2, 12, 4, 14, 6, 16},
        PixelLayout.planarToHwc(PLANES, 1, 2, 3, 2, true));
  }
}
