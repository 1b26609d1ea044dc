package org.mixbt.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime half of {@link OneDnnConvolution}: forward {@code conv2d}, backward {@code conv2d_bp}. */
public class OneDnnConvolutionLayer extends BaseLayer<OneDnnConvolution> {
  /** libnd4j conv2d integer arguments 8..10: not SAME mode, NCHW data, weights as [oC, iC, kH, kW]. */
  private static final int VALID_MODE = 0;
  private static final int NCHW = 0;
  private static final int WEIGHTS_OIHW = 1;

  public OneDnnConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private int[] opArguments() {
    OneDnnConvolution c = layerConf();
    int k = c.getKernel();
    int s = c.getStride();
    int p = c.getPadding();
    return new int[] {k, k, s, s, p, p, 1, 1, VALID_MODE, NCHW, WEIGHTS_OIHW};
  }

  private long[] outputShape(INDArray x) {
    OneDnnConvolution c = layerConf();
    return new long[] {x.size(0), c.getNOut(), c.outputSize(x.size(2)), c.outputSize(x.size(3))};
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = input.castTo(dataType);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape(x), 'c');
    Nd4j.exec(DynamicCustomOp.builder("conv2d")
        .addInputs(x, getParam(ConvolutionWeightInitializer.WEIGHT))
        .addOutputs(out)
        .addIntegerArguments(opArguments())
        .build());
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    INDArray x = input.castTo(dataType);
    INDArray inputGradient =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    INDArray weightGradient = gradientViews.get(ConvolutionWeightInitializer.WEIGHT);
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
        .addInputs(x, getParam(ConvolutionWeightInitializer.WEIGHT), epsilon.castTo(dataType))
        .addOutputs(inputGradient, weightGradient)
        .addIntegerArguments(opArguments())
        .build());
    Gradient gradient = new DefaultGradient(gradientsFlattened);
    gradient.setGradientFor(ConvolutionWeightInitializer.WEIGHT, weightGradient);
    return new Pair<>(gradient, inputGradient);
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return false;
  }
}
