package org.mixbt.prep;

import org.apache.spark.sql.Row;
import org.mixbt.core.shard.ShardManifest;

/** Image size statistics over every split, combined from each split's aggregate row (see EncodedShardWriter). */
final class SplitSizes {
  private long count;
  private int minHeight = Integer.MAX_VALUE;
  private int maxHeight;
  private int minWidth = Integer.MAX_VALUE;
  private int maxWidth;
  private long sumHeight;
  private long sumWidth;

  /** Adds columns 0..6 of an aggregate: count, min/max height, min/max width, sum of heights, of widths. */
  void add(Row a) {
    long n = a.getLong(0);
    if (n == 0) {
      return;
    }
    count += n;
    minHeight = Math.min(minHeight, a.getInt(1));
    maxHeight = Math.max(maxHeight, a.getInt(2));
    minWidth = Math.min(minWidth, a.getInt(3));
    maxWidth = Math.max(maxWidth, a.getInt(4));
    sumHeight += a.getLong(5);
    sumWidth += a.getLong(6);
  }

  /** The one size every image has (3 channels), or null when sizes vary. */
  ShardManifest.ImageShape uniformShape() {
    return minHeight == maxHeight && minWidth == maxWidth ? new ShardManifest.ImageShape(minHeight, minWidth, 3) : null;
  }

  ShardManifest.ImageSizes toImageSizes() {
    return new ShardManifest.ImageSizes(minHeight, maxHeight, minWidth, maxWidth, (double) sumHeight / count,
        (double) sumWidth / count);
  }

  @Override
  public String toString() {
    return "heights " + minHeight + ".." + maxHeight + ", widths " + minWidth + ".." + maxWidth;
  }
}
