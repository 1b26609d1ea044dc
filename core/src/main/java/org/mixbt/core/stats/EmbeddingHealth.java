package org.mixbt.core.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Embedding health of an epoch, over the pooled samples of a statistics pass: per view (view1, view2,
 * mixed) the per-dimension spread and effective ranks (see {@link ViewHealth}), and the cross-correlation
 * of view1 against view2.
 *
 * <p>The cross-correlation here is Pearson's, each dimension standardised over all pooled samples:
 * C_ij = S12_ij / √(S11_ii·S22_jj) with S the co-moments. (The loss's C on one batch standardises per batch
 * with the unbiased std and divides by N, i.e. (N−1)/N times the batch's Pearson correlation.) A dimension
 * with zero spread has no correlation; it counts as 0, which pulls the diagonal mean down, as it should.
 *
 * @param crossDiagonalMean mean of C_ii (NaN when covariances were not kept)
 * @param crossOffDiagonalRms root mean square of C_ij, i ≠ j (NaN when covariances were not kept)
 */
public record EmbeddingHealth(List<ViewHealth> views, double crossDiagonalMean, double crossOffDiagonalRms)
    implements Serializable {

  static ViewHealth view(String name, ChannelMoments dims, CrossMoments embedding, CrossMoments feature,
      double lowStd) {
    double[] mean = dims.mean();
    double[] var = dims.variance(true);
    double absMean = 0;
    double stdSum = 0;
    double minStd = Double.POSITIVE_INFINITY;
    int low = 0;
    for (int i = 0; i < mean.length; i++) {
      double std = Math.sqrt(var[i]);
      absMean += Math.abs(mean[i]);
      stdSum += std;
      minStd = Math.min(minStd, std);
      low += std < lowStd ? 1 : 0;
    }
    return new ViewHealth(name, dims.count(), mean.length, absMean / mean.length, stdSum / mean.length, minStd, low,
        rank(embedding), rank(feature));
  }

  private static double rank(CrossMoments m) {
    return m == null || m.count() < 2 ? Double.NaN : EffectiveRank.of(m.covariance(), m.rows());
  }

  static EmbeddingHealth of(List<ViewHealth> views, CrossMoments cross12, CrossMoments auto1, CrossMoments auto2) {
    if (cross12 == null) {
      return new EmbeddingHealth(views, Double.NaN, Double.NaN);
    }
    int d = cross12.rows();
    double diagonal = 0;
    double offSquares = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double scale = Math.sqrt(auto1.comoment(i, i) * auto2.comoment(j, j));
        double c = scale > 0 ? cross12.comoment(i, j) / scale : 0;
        if (i == j) {
          diagonal += c;
        } else {
          offSquares += c * c;
        }
      }
    }
    return new EmbeddingHealth(views, diagonal / d, d > 1 ? Math.sqrt(offSquares / ((double) d * (d - 1))) : 0);
  }

  /** One message per sign of collapse; empty when none. */
  public List<String> warnings(CollapseThresholds t) {
    List<String> out = new ArrayList<>();
    for (ViewHealth v : views) {
      if (v.lowStdDims() > t.lowStdFraction() * v.dims()) {
        out.add(String.format("%s: %d of %d embedding dimensions have std < %.2g (min std %.3g)", v.view(),
            v.lowStdDims(), v.dims(), t.lowStd(), v.minStd()));
      }
      double bound = t.rankFraction() * Math.min(v.dims(), v.samples() - 1);
      if (v.effectiveRank() < bound) {
        out.add(String.format("%s: embedding effective rank %.2f of d = %d (%d samples)", v.view(),
            v.effectiveRank(), v.dims(), v.samples()));
      }
    }
    if (crossDiagonalMean < t.minDiagonal()) {
      out.add(String.format("view1/view2 cross-correlation diagonal mean %.3f is below %.3f: the views no longer"
          + " agree", crossDiagonalMean, t.minDiagonal()));
    }
    return out;
  }

  /** One line for the log. */
  public String describe() {
    StringBuilder s = new StringBuilder(String.format("cross-correlation diag mean %.4f, off-diag RMS %.4f",
        crossDiagonalMean, crossOffDiagonalRms));
    for (ViewHealth v : views) {
      s.append(String.format("; %s: mean std %.4g, min std %.3g, %d/%d dims low, eff. rank %.1f (feature %.1f)",
          v.view(), v.meanStd(), v.minStd(), v.lowStdDims(), v.dims(), v.effectiveRank(), v.featureEffectiveRank()));
    }
    return s.toString();
  }
}
