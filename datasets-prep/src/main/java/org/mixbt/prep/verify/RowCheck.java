package org.mixbt.prep.verify;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;

/**
 * The rules every row of one split must follow, given its manifest: unique non-negative ids, labels and
 * coarse labels in range, encodings the storage allows, raw pixel length h·w·c, and sizes matching the
 * manifest's shape or size bounds. {@link #check} returns the first broken rule as "field what: value",
 * or null; it also gathers the split's label and size range for the summary.
 */
final class RowCheck {
  private static final Pattern ENCODING = Pattern.compile("[a-z0-9]+");

  private final ShardManifest manifest;
  private final int classes;
  private final int coarseClasses;
  // Ids are indexes into the publisher's files, so a bit set covers them compactly (ImageNet: 160 kB);
  // ids beyond int range, should a source ever make them, go to a hash set.
  private final BitSet smallIds = new BitSet();
  private final Set<Long> largeIds = new HashSet<>();
  int minLabel = Integer.MAX_VALUE;
  int maxLabel = Integer.MIN_VALUE;
  int minHeight = Integer.MAX_VALUE;
  int maxHeight;
  int minWidth = Integer.MAX_VALUE;
  int maxWidth;

  RowCheck(ShardManifest manifest) {
    this.manifest = manifest;
    this.classes = manifest.classNames().size();
    this.coarseClasses = manifest.coarseClassNames().size();
  }

  /** The first rule {@code row} breaks, as "field what: value"; null if none. */
  String check(Row row) {
    if (row.id() < 0) {
      return "id negative: " + row.id();
    }
    if (!firstSight(row.id())) {
      return "id duplicate within split: " + row.id();
    }
    if (row.label() < ShardSchema.UNLABELED || row.label() >= classes) {
      return "label out of range [-1, " + classes + "): " + row.label();
    }
    if (row.coarseLabel() < ShardSchema.UNLABELED || row.coarseLabel() >= coarseClasses) {
      return coarseClasses == 0 ? "coarse_label set in a dataset without coarse classes: " + row.coarseLabel()
          : "coarse_label out of range [-1, " + coarseClasses + "): " + row.coarseLabel();
    }
    String encodingProblem = encodingProblem(row);
    if (encodingProblem != null) {
      return encodingProblem;
    }
    String sizeProblem = sizeProblem(row);
    if (sizeProblem != null) {
      return sizeProblem;
    }
    if (row.source().isEmpty()) {
      return "source empty: \"\"";
    }
    minLabel = Math.min(minLabel, row.label());
    maxLabel = Math.max(maxLabel, row.label());
    minHeight = Math.min(minHeight, row.height());
    maxHeight = Math.max(maxHeight, row.height());
    minWidth = Math.min(minWidth, row.width());
    maxWidth = Math.max(maxWidth, row.width());
    return null;
  }

  private boolean firstSight(long id) {
    if (id <= Integer.MAX_VALUE) {
      boolean seen = smallIds.get((int) id);
      smallIds.set((int) id);
      return !seen;
    }
    return largeIds.add(id);
  }

  private String encodingProblem(Row row) {
    boolean raw = ShardSchema.RAW.equals(row.encoding());
    if (ShardManifest.STORAGE_RAW.equals(manifest.storage()) && !raw) {
      return "encoding not raw in raw storage: " + row.encoding();
    }
    if (ShardManifest.STORAGE_ENCODED.equals(manifest.storage()) && (raw || !ENCODING.matcher(row.encoding()).matches())) {
      return "encoding not an image format name in encoded storage: " + row.encoding();
    }
    if (raw && row.pixelBytes() != (long) row.height() * row.width() * row.channels()) {
      return "pixels length is not height*width*channels = " + row.height() + "*" + row.width() + "*"
          + row.channels() + ": " + row.pixelBytes();
    }
    if (!raw && row.pixelBytes() == 0) {
      return "pixels empty for encoding " + row.encoding() + ": 0";
    }
    return null;
  }

  private String sizeProblem(Row row) {
    if (row.height() <= 0 || row.width() <= 0 || row.channels() <= 0) {
      return "height/width/channels not positive: " + row.height() + "x" + row.width() + "x" + row.channels();
    }
    ShardManifest.ImageShape shape = manifest.shape();
    if (shape != null && (shape.height() != row.height() || shape.width() != row.width()
        || shape.channels() != row.channels())) {
      return "shape differs from the manifest's " + shape.height() + "x" + shape.width() + "x" + shape.channels()
          + ": " + row.height() + "x" + row.width() + "x" + row.channels();
    }
    ShardManifest.ImageSizes sizes = manifest.imageSizes();
    if (row.height() < sizes.minHeight() || row.height() > sizes.maxHeight()) {
      return "height outside the manifest's imageSizes [" + sizes.minHeight() + ", " + sizes.maxHeight() + "]: "
          + row.height();
    }
    if (row.width() < sizes.minWidth() || row.width() > sizes.maxWidth()) {
      return "width outside the manifest's imageSizes [" + sizes.minWidth() + ", " + sizes.maxWidth() + "]: "
          + row.width();
    }
    return null;
  }

  /** The columns of one row that the rules look at (the pixels only by length). */
  record Row(long id, int label, int coarseLabel, String encoding, long pixelBytes, int height, int width,
      int channels, String source) {}
}
