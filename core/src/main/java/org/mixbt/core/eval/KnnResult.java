package org.mixbt.core.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * Outcome of one weighted-kNN evaluation: top-1 and top-N accuracy in percent (N = min(5, classes)),
 * the top-1 class predicted for each query, and how many queries were scored.
 */
public final class KnnResult {
  private final double top1Percent;
  private final double top5Percent;
  private final int[] predictions;
  private final int queries;

  KnnResult(double top1Percent, double top5Percent, int[] predictions) {
    this.top1Percent = top1Percent;
    this.top5Percent = top5Percent;
    this.predictions = predictions.clone();
    this.queries = predictions.length;
  }

  /** Percentage of queries whose top-scoring class is their label. */
  public double top1Percent() {
    return top1Percent;
  }

  /** Percentage of queries whose label is among the min(5, classes) top-scoring classes. */
  public double top5Percent() {
    return top5Percent;
  }

  /** The top-1 class per query, in query order (a copy). */
  public int[] predictions() {
    return predictions.clone();
  }

  public int queries() {
    return queries;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KnnResult)) {
      return false;
    }
    KnnResult other = (KnnResult) o;
    return Double.compare(top1Percent, other.top1Percent) == 0
        && Double.compare(top5Percent, other.top5Percent) == 0
        && Arrays.equals(predictions, other.predictions);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(predictions) + Double.hashCode(top1Percent);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "kNN top-1 %.2f%%, top-5 %.2f%% over %d queries",
        top1Percent, top5Percent, queries);
  }
}
