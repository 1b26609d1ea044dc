package org.mixbt.job;

import java.io.Serializable;
import java.util.List;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.stats.CollapseThresholds;

/** The {@code mixbt.statistics} section: the per-epoch precise-BN and embedding-statistics pass. */
public record StatisticsSettings(boolean enabled, int everyEpochs, int batches, boolean writeBatchNorm,
    List<String> batchNormViews, int maxCovarianceDim, CollapseThresholds collapse) implements Serializable {

  static StatisticsSettings read(ConfigReader r) {
    return new StatisticsSettings(r.bool("enabled"), r.intAtLeast("every-epochs", 1), r.intAtLeast("batches", 1),
        r.bool("write-batch-norm"),
        r.subsetOf("batch-norm-views", List.of(MixedBarlowTwinsNetwork.VIEW_INPUTS)), r.intAtLeast("max-covariance-dim", 0),
        new CollapseThresholds(r.doubleAtLeast("low-std", 0), r.probability("warn-low-std-fraction"),
            r.probability("warn-rank-fraction"), r.doubleAtLeast("warn-min-diagonal", -1)));
  }

  /** After epoch {@code epoch} (0-based) of {@code epochs}: every {@code every-epochs}-th and the last. */
  boolean due(int epoch, int epochs) {
    return enabled && ((epoch + 1) % everyEpochs == 0 || epoch == epochs - 1);
  }
}
