package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.data.image.ImageDecodeException;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.data.image.ImageFixtures;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardSchema;

/** Shard rows to records: raw rows as stored, encoded rows decoded (what the prep job validated). */
class ShardDatasetTest {
  static final StructType SCHEMA = new StructType().add(ShardSchema.ID, DataTypes.LongType)
      .add(ShardSchema.LABEL, DataTypes.IntegerType).add(ShardSchema.COARSE_LABEL, DataTypes.IntegerType)
      .add(ShardSchema.ENCODING, DataTypes.StringType).add(ShardSchema.PIXELS, DataTypes.BinaryType)
      .add(ShardSchema.HEIGHT, DataTypes.IntegerType).add(ShardSchema.WIDTH, DataTypes.IntegerType)
      .add(ShardSchema.CHANNELS, DataTypes.IntegerType).add(ShardSchema.SOURCE, DataTypes.StringType);

  static Row row(String encoding, byte[] bytes, int h, int w) {
    return new GenericRowWithSchema(new Object[] {7L, 3, -1, encoding, bytes, h, w, 3, "cls/x.jpg"}, SCHEMA);
  }

  @Test
  void encodedRowsAreDecoded() {
    byte[] jpeg = ImageFixtures.encode(ImageFixtures.rgb(10, 12, 1), "jpeg");
    ImageRecord r = ShardDataset.toRecord(row("jpeg", jpeg, 10, 12));
    assertEquals(7L, r.id());
    assertEquals(3, r.label());
    assertEquals(10, r.height());
    assertEquals(12, r.width());
    assertEquals(3, r.channels());
    assertArrayEquals(ImageDecoder.decode(jpeg, "x").pixels(), r.pixels());
    byte[] raw = new byte[2 * 2 * 3];
    raw[5] = 9;
    assertArrayEquals(raw, ShardDataset.toRecord(row("raw", raw, 2, 2)).pixels());
  }

  @Test
  void rowsThatDisagreeWithTheirBytesAreErrors() {
    byte[] png = ImageFixtures.encode(ImageFixtures.rgb(10, 12, 1), "png");
    ShardFormatException e = assertThrows(ShardFormatException.class,
        () -> ShardDataset.toRecord(row("png", png, 12, 10)));
    assertEquals("Cannot read shard row cls/x.jpg: decoded image does not match its row: png 10x12, row says png 12x10",
        e.getMessage());
    ImageDecodeException bad = assertThrows(ImageDecodeException.class,
        () -> ShardDataset.toRecord(row("jpeg", new byte[] {1, 2, 3}, 1, 1)));
    assertTrue(bad.getMessage().startsWith("Cannot decode cls/x.jpg: unknown image format"), bad.getMessage());
  }
}
