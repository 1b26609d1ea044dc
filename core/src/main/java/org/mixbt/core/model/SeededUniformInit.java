package org.mixbt.core.model;

import java.util.Objects;
import java.util.Random;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * U(−bound, bound) drawn in Java from (seed, salt). ND4J 1.0.0-M2.1's native random ops do not repeat their
 * draws after {@code Nd4j.getRandom().setSeed} (two runs with one seed gave different weights), so the
 * network's initial weights are drawn here to make a run repeatable.
 */
public class SeededUniformInit implements IWeightInit {
  private final long seed;
  private final double bound;

  public SeededUniformInit(@JsonProperty("seed") long seed, @JsonProperty("bound") double bound) {
    this.seed = seed;
    this.bound = bound;
  }

  /** The seed of one named tensor of a run. */
  public static long seedFor(long runSeed, String name) {
    return runSeed * 1_000_003L + name.hashCode();
  }

  @Override
  public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
    paramView.assign(Nd4j.create(uniform(seed, bound, (int) paramView.length()), paramView.shape(),
        paramView.dataType()));
    return paramView.reshape(order, shape);
  }

  static double[] uniform(long seed, double bound, int n) {
    Random rng = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = (2 * rng.nextDouble() - 1) * bound;
    }
    return values;
  }

  public long getSeed() {
    return seed;
  }

  public double getBound() {
    return bound;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeededUniformInit s && s.seed == seed && s.bound == bound;
  }

  @Override
  public int hashCode() {
    return Objects.hash(seed, bound);
  }
}
