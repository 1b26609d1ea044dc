package org.mixbt.job;

import java.io.Serializable;

/** The {@code mixbt.knn} section: the weighted kNN monitor. */
public record KnnSettings(boolean enabled, int k, double temperature, String bankSplit, long bankLimit,
    String querySplit, boolean untrainedBaseline, int everyEpochs, int batchSize) implements Serializable {

  static KnnSettings read(ConfigReader r) {
    return new KnnSettings(r.bool("enabled"), r.intAtLeast("k", 1), r.positive("temperature"),
        r.nonEmpty("bank-split"), r.longAtLeast("bank-limit", 0), r.nonEmpty("query-split"),
        r.bool("untrained-baseline"), r.intAtLeast("every-epochs", 0), r.intAtLeast("batch-size", 1));
  }
}
