package org.mixbt.core.stats;

import java.io.Serializable;

/**
 * When the embedding statistics signal collapse.
 *
 * @param lowStd a dimension whose standard deviation is below this is "dead" (absolute: for the small-data
 *     head's L2-normalised rows a healthy dimension has std ≈ 1/√d, 0.03 at d = 1024)
 * @param lowStdFraction warn when more than this fraction of a view's dimensions is dead
 * @param rankFraction warn when an effective rank is below this fraction of min(d, samples − 1), the
 *     largest rank the pooled samples can show
 * @param minDiagonal warn when the mean of the view1/view2 cross-correlation diagonal is below this
 *     (Barlow Twins drives it towards 1; near 0 the two views no longer agree)
 */
public record CollapseThresholds(double lowStd, double lowStdFraction, double rankFraction, double minDiagonal)
    implements Serializable {
}
