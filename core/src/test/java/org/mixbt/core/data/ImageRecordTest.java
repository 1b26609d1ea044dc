package org.mixbt.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageRecordTest {
  @Test
  void validatesPixelLengthAgainstShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageRecord(3, 1, new byte[11], 2, 2, 3));
    assertEquals("Cannot create image record 3: pixel length 11 does not match shape 2x2x3: expected 12",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ImageRecord(-1, 1, new byte[4], 2, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new ImageRecord(0, -2, new byte[4], 2, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new ImageRecord(0, 1, new byte[0], 0, 2, 1));
    assertEquals(new ImageRecord(0, 1, new byte[] {1, 2, 3, 4}, 2, 2, 1),
        new ImageRecord(0, 1, new byte[] {1, 2, 3, 4}, 2, 2, 1));
  }
}
