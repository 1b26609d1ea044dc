package org.mixbt.prep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mixbt.core.data.image.DecodedImage;
import org.mixbt.core.data.image.ImageDecodeException;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.data.image.ImageEncoder;
import org.mixbt.core.data.image.ShortSideResize;
import org.mixbt.core.shard.ShardSchema;

/**
 * The executor-side step of {@link EncodedShardWriter}: decodes one file to validate it and measure it,
 * optionally resizes and re-encodes it, and returns a row of {@link #SCHEMA}: the shard columns, then
 * {@code reason} (null, or why the file was skipped) and the per-channel pixel sums of what the shard holds.
 */
final class ProcessedImage implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  static final String REASON = "reason";
  static final int SHARD_COLUMNS = SparkShardWriter.SCHEMA.size();

  static final StructType SCHEMA;

  static {
    StructType s = SparkShardWriter.SCHEMA.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
    for (int c = 0; c < 3; c++) {
      s = s.add("sum" + c, DataTypes.LongType, false).add("sq" + c, DataTypes.LongType, false);
    }
    SCHEMA = s;
  }

  private final int resizeShortSide;
  private final boolean storeRaw;

  ProcessedImage(int resizeShortSide, boolean storeRaw) {
    this.resizeShortSide = resizeShortSide;
    this.storeRaw = storeRaw;
  }

  Row process(long id, int label, String source, byte[] bytes) {
    DecodedImage image;
    byte[] stored;
    String encoding;
    try {
      image = ImageDecoder.decode(bytes, source);
      stored = bytes;
      encoding = image.format();
      if (resizeShortSide > 0) {
        DecodedImage resized = ShortSideResize.resize(image, resizeShortSide);
        if (resized != image) {
          stored = ImageEncoder.encode(resized);
          // Statistics and sizes describe what readers will decode from the stored bytes.
          image = ImageDecoder.decode(stored, source + " (resized)");
          encoding = image.format();
        }
      }
    } catch (ImageDecodeException e) {
      Object[] v = {id, label, ShardSchema.UNLABELED, "", new byte[0], 0, 0, 0, source, e.reason(),
          0L, 0L, 0L, 0L, 0L, 0L};
      return RowFactory.create(v);
    }
    if (storeRaw) {
      stored = image.pixels();
      encoding = ShardSchema.RAW;
    }
    long[] sums = new long[6];
    byte[] px = image.pixels();
    for (int i = 0; i < px.length; i += 3) {
      for (int c = 0; c < 3; c++) {
        long v = px[i + c] & 0xFF;
        sums[2 * c] += v;
        sums[2 * c + 1] += v * v;
      }
    }
    return RowFactory.create(id, label, ShardSchema.UNLABELED, encoding, stored, image.height(), image.width(),
        DecodedImage.CHANNELS, source, null, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
  }
}
