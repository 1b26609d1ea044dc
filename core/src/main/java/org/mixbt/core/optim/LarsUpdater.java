package org.mixbt.core.optim;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * {@link Lars}'s state and step: one momentum buffer {@code mu} per parameter element (a plain array, so
 * DL4J's parameter averaging averages it like any updater state), and in place on the incoming gradient
 * {@code mu = momentum · mu + dp; dp := lr · mu}. DL4J then subtracts {@code dp} from the parameters.
 */
public class LarsUpdater implements GradientUpdater<Lars> {
  public static final String MOMENTUM_STATE = "mu";
  private final Lars config;
  private INDArray mu;

  public LarsUpdater(Lars config) {
    this.config = config;
  }

  @Override
  public Lars getConfig() {
    return config;
  }

  @Override
  public void setState(Map<String, INDArray> stateMap, boolean initialize) {
    if (stateMap.size() != 1 || !stateMap.containsKey(MOMENTUM_STATE)) {
      throw new IllegalStateException("Cannot restore LARS state: expected only key [" + MOMENTUM_STATE
          + "], got " + stateMap.keySet());
    }
    mu = stateMap.get(MOMENTUM_STATE);
    if (initialize) {
      mu.assign(0);
    }
  }

  @Override
  public Map<String, INDArray> getState() {
    return Collections.singletonMap(MOMENTUM_STATE, mu);
  }

  @Override
  public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
    if (initialize) {
      viewArray.assign(0);
    }
    mu = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
    if (mu == null) {
      throw new IllegalStateException("Cannot set LARS state: view of length " + viewArray.length()
          + " does not reshape to the gradient shape " + java.util.Arrays.toString(gradientShape));
    }
  }

  @Override
  public void applyUpdater(INDArray gradient, int iteration, int epoch) {
    if (mu == null) {
      throw new IllegalStateException("Cannot apply LARS: the updater has no state view");
    }
    double lr = config.getLearningRate(iteration, epoch);
    INDArray dp = gradient.reshape(mu.shape());
    mu.muli(config.getMomentum()).addi(dp);
    dp.assign(mu).muli(lr);
  }
}
