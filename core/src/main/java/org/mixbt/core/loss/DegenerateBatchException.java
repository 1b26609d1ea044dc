package org.mixbt.core.loss;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A batch the Barlow Twins loss cannot standardise: fewer than two rows, or a column of one view whose
 * unbiased standard deviation is zero or not finite. The original PyTorch code divides by that std and
 * silently produces NaN losses and gradients; we refuse instead, and the caller (the DL4J adapter)
 * decides whether to fail the run or skip the step.
 */
public final class DegenerateBatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How many column indices the message lists before it summarises the rest. */
  static final int MAX_LISTED_COLUMNS = 20;

  private final String view;
  private final int[] columns;
  private final long batchSize;

  /**
   * @param view which input: {@code "view1"}, {@code "view2"} or {@code "mixed"}
   * @param columns the offending column indices (copied and sorted)
   * @param batchSize N, the number of rows of the batch
   */
  public DegenerateBatchException(String view, int[] columns, long batchSize) {
    super(message(view, sorted(columns), batchSize));
    this.view = view;
    this.columns = sorted(columns);
    this.batchSize = batchSize;
  }

  /** The view that failed first, in the order view1, view2, mixed. */
  public String view() {
    return view;
  }

  /** The offending column indices of {@link #view()}, sorted ascending (a copy). */
  public int[] columns() {
    return columns.clone();
  }

  /** N, the number of rows in the batch. */
  public long batchSize() {
    return batchSize;
  }

  private static int[] sorted(int[] columns) {
    int[] copy = columns.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static String message(String view, int[] columns, long n) {
    String why = n < 2
        ? "N=" + n + " rows, but the unbiased std needs N >= 2"
        : "zero or non-finite std over N=" + n + " rows";
    return "Cannot standardise " + view + " for the Barlow Twins loss: " + why + ": columns "
        + listColumns(columns);
  }

  private static String listColumns(int[] columns) {
    String listed = IntStream.of(columns).limit(MAX_LISTED_COLUMNS)
        .mapToObj(Integer::toString).collect(Collectors.joining(", "));
    int more = columns.length - Math.min(columns.length, MAX_LISTED_COLUMNS);
    return "[" + listed + (more > 0 ? ", ... (" + more + " more)" : "") + "]";
  }
}
