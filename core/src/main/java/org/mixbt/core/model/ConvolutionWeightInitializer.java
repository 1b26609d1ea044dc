package org.mixbt.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The single weight tensor of {@link OneDnnConvolution}, shaped [out, in, k, k], initialised as the
 * original ResNet does: {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}, i.e. N(0, 2/fan_out)
 * with fan_out = out·k·k.
 */
public final class ConvolutionWeightInitializer implements ParamInitializer {
  public static final String WEIGHT = "W";
  static final ConvolutionWeightInitializer INSTANCE = new ConvolutionWeightInitializer();

  private ConvolutionWeightInitializer() {
  }

  private static long[] shape(Layer layer) {
    OneDnnConvolution conv = (OneDnnConvolution) layer;
    return new long[] {conv.getNOut(), conv.getNIn(), conv.getKernel(), conv.getKernel()};
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    long[] s = shape(layer);
    return s[0] * s[1] * s[2] * s[3];
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return Collections.singletonList(WEIGHT);
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return Collections.singletonList(WEIGHT);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return Collections.emptyList();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return WEIGHT.equals(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return false;
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
    long[] s = shape(conf.getLayer());
    INDArray weights = paramsView.reshape('c', s);
    if (initialize) {
      double std = Math.sqrt(2.0 / (s[0] * s[2] * s[3]));
      // Drawn in Java from (seed, layer name): ND4J 1.0.0-M2.1's native Gaussian op does not repeat its
      // draws after Nd4j.getRandom().setSeed (measured: two runs, same seed, different conv1 weights).
      java.util.Random rng = new java.util.Random(SeededUniformInit.seedFor(conf.getSeed(), conf.getLayer().getLayerName()));
      double[] values = new double[(int) weights.length()];
      for (int i = 0; i < values.length; i++) {
        values[i] = rng.nextGaussian() * std;
      }
      weights.assign(Nd4j.create(values, s, paramsView.dataType()));
    }
    conf.addVariable(WEIGHT);
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put(WEIGHT, weights);
    return params;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
    Map<String, INDArray> grads = new LinkedHashMap<>();
    grads.put(WEIGHT, view.reshape('c', shape(conf.getLayer())));
    return grads;
  }
}
