package org.mixbt.core.stats;

import java.io.Serializable;

/**
 * Health of one view's embedding (projector output, as the loss sees it) over the pooled samples.
 *
 * @param samples rows pooled
 * @param meanAbsMean mean over dimensions of |per-dimension mean|
 * @param meanStd mean over dimensions of the per-dimension standard deviation (unbiased)
 * @param minStd the smallest per-dimension standard deviation
 * @param lowStdDims dimensions whose standard deviation is below the configured threshold
 * @param effectiveRank effective rank of the embedding covariance (NaN when not computed)
 * @param featureEffectiveRank effective rank of the encoder feature covariance (NaN when not computed)
 */
public record ViewHealth(String view, long samples, int dims, double meanAbsMean, double meanStd, double minStd,
    int lowStdDims, double effectiveRank, double featureEffectiveRank) implements Serializable {
}
