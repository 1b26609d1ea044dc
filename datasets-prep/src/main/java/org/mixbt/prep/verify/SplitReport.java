package org.mixbt.prep.verify;

import java.util.Locale;

/** What {@code verify} found in one split, printed as one line. */
public record SplitReport(String split, long records, int shards, long bytes, int minLabel, int maxLabel,
    int minHeight, int maxHeight, int minWidth, int maxWidth) {
  @Override
  public String toString() {
    String sizes = minHeight == maxHeight && minWidth == maxWidth ? minHeight + "x" + minWidth
        : minHeight + ".." + maxHeight + " x " + minWidth + ".." + maxWidth;
    return String.format(Locale.ROOT, "%s: %d records in %d shards (%.1f MB), labels %s, sizes %s: ok", split,
        records, shards, bytes / 1e6, records == 0 ? "none" : minLabel + ".." + maxLabel, records == 0 ? "none" : sizes);
  }
}
