package org.mixbt.core.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Parameters of {@link ViewBatchNorm}: gamma (1, or 0 under zero_init_residual), beta (0), running mean (0), running variance (1). */
public final class ViewBatchNormParams implements ParamInitializer {
  public static final String GAMMA = "gamma";
  public static final String BETA = "beta";
  public static final String RUNNING_MEAN = "mean";
  public static final String RUNNING_VAR = "var";
  private static final List<String> KEYS = Arrays.asList(GAMMA, BETA, RUNNING_MEAN, RUNNING_VAR);
  static final ViewBatchNormParams INSTANCE = new ViewBatchNormParams();

  private ViewBatchNormParams() {
  }

  static boolean isRunningStatistic(String key) {
    return RUNNING_MEAN.equals(key) || RUNNING_VAR.equals(key);
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    return 4 * ((ViewBatchNorm) layer).getNOut();
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return KEYS;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return Collections.emptyList();
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return Collections.emptyList();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return false;
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return false;
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
    Map<String, INDArray> params = split(conf, paramsView);
    if (initialize) {
      params.get(GAMMA).assign(((ViewBatchNorm) conf.getLayer()).getInitialGamma());
      params.get(BETA).assign(0);
      params.get(RUNNING_MEAN).assign(0);
      params.get(RUNNING_VAR).assign(1);
    }
    KEYS.forEach(conf::addVariable);
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
    return split(conf, view);
  }

  private static Map<String, INDArray> split(NeuralNetConfiguration conf, INDArray flat) {
    long c = ((ViewBatchNorm) conf.getLayer()).getNOut();
    INDArray vector = flat.reshape(flat.length());
    Map<String, INDArray> parts = new LinkedHashMap<>();
    for (int i = 0; i < KEYS.size(); i++) {
      parts.put(KEYS.get(i), vector.get(NDArrayIndex.interval(i * c, (i + 1) * c)));
    }
    return parts;
  }
}
