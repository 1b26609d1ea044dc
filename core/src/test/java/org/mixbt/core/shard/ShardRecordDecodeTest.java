package org.mixbt.core.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.data.image.ImageDecodeException;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.data.image.ImageFixtures;

/** Stored rows to images: raw rows as stored, encoded rows decoded (what the prep job validated). */
class ShardRecordDecodeTest {
  private static ShardRecord row(String encoding, byte[] bytes, int h, int w) {
    return new ShardRecord(7L, 3, -1, encoding, bytes, h, w, 3, "cls/x.jpg");
  }

  @Test
  void encodedRowsAreDecodedAndRawRowsKept() {
    byte[] jpeg = ImageFixtures.encode(ImageFixtures.rgb(10, 12, 1), "jpeg");
    ImageRecord r = row("jpeg", jpeg, 10, 12).decode();
    assertEquals(7L, r.id());
    assertEquals(3, r.label());
    assertEquals(10, r.height());
    assertEquals(12, r.width());
    assertEquals(3, r.channels());
    assertArrayEquals(ImageDecoder.decode(jpeg, "x").pixels(), r.pixels());
    byte[] raw = new byte[2 * 2 * 3];
    raw[5] = 9;
    assertArrayEquals(raw, row("raw", raw, 2, 2).decode().pixels());
  }

  @Test
  void rowsThatDisagreeWithTheirBytesAreErrors() {
    byte[] png = ImageFixtures.encode(ImageFixtures.rgb(10, 12, 1), "png");
    ShardFormatException e = assertThrows(ShardFormatException.class, () -> row("png", png, 12, 10).decode());
    assertEquals("Cannot read shard row cls/x.jpg: decoded image does not match its row: png 10x12, row says png 12x10",
        e.getMessage());
    ImageDecodeException bad = assertThrows(ImageDecodeException.class,
        () -> row("jpeg", new byte[] {1, 2, 3}, 1, 1).decode());
    assertTrue(bad.getMessage().startsWith("Cannot decode cls/x.jpg: unknown image format"), bad.getMessage());
  }
}
