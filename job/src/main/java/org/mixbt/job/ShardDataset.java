package org.mixbt.job;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.data.image.DecodedImage;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/** Reads one split of a shard set as an RDD of validated {@link ImageRecord}s. */
final class ShardDataset {
  private ShardDataset() {
  }

  /**
   * @param idLimit keep records with id &lt; idLimit only (0 keeps all): ids are positions in the
   *     publisher's file, so "the first 10 000 images" is a stable subset
   */
  static JavaRDD<ImageRecord> read(SparkSession spark, ShardStore store, String split, long idLimit) {
    List<Path> shards = store.shardPaths(split);
    String[] paths = shards.stream().map(Path::toString).toArray(String[]::new);
    JavaRDD<ImageRecord> records = spark.read().parquet(paths).javaRDD().map(ShardDataset::toRecord);
    return idLimit > 0 ? records.filter(r -> r.id() < idLimit) : records;
  }

  /** Raw rows as they are; encoded rows decoded here, on the executor that reads the shard. */
  static ImageRecord toRecord(Row row) {
    String encoding = row.getString(row.fieldIndex(ShardSchema.ENCODING));
    if (!ShardSchema.RAW.equals(encoding)) {
      String source = row.getString(row.fieldIndex(ShardSchema.SOURCE));
      DecodedImage image = ImageDecoder.decode((byte[]) row.get(row.fieldIndex(ShardSchema.PIXELS)), source);
      int height = row.getInt(row.fieldIndex(ShardSchema.HEIGHT));
      int width = row.getInt(row.fieldIndex(ShardSchema.WIDTH));
      if (image.height() != height || image.width() != width || !image.format().equals(encoding)) {
        throw new ShardFormatException("Cannot read shard row " + source + ": decoded image does not match its row: "
            + image.format() + " " + image.height() + "x" + image.width() + ", row says " + encoding + " " + height
            + "x" + width);
      }
      return new ImageRecord(row.getLong(row.fieldIndex(ShardSchema.ID)), row.getInt(row.fieldIndex(ShardSchema.LABEL)),
          image.pixels(), height, width, DecodedImage.CHANNELS);
    }
    return new ImageRecord(row.getLong(row.fieldIndex(ShardSchema.ID)), row.getInt(row.fieldIndex(ShardSchema.LABEL)),
        (byte[]) row.get(row.fieldIndex(ShardSchema.PIXELS)), row.getInt(row.fieldIndex(ShardSchema.HEIGHT)),
        row.getInt(row.fieldIndex(ShardSchema.WIDTH)), row.getInt(row.fieldIndex(ShardSchema.CHANNELS)));
  }
}
