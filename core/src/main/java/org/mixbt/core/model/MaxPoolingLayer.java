package org.mixbt.core.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime half of {@link MaxPooling}: forward {@code maxpool2d}, backward {@code maxpool2d_bp}. */
public class MaxPoolingLayer extends AbstractLayer<MaxPooling> {
  /** libnd4j pooling integer arguments 8..10: not SAME mode, extra parameter (unused by max), NCHW. */
  private static final int VALID_MODE = 0;
  private static final int UNUSED = 0;
  private static final int NCHW = 0;

  public MaxPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private int[] opArguments() {
    MaxPooling c = layerConf();
    int k = c.getKernel();
    int s = c.getStride();
    int p = c.getPadding();
    return new int[] {k, k, s, s, p, p, 1, 1, VALID_MODE, UNUSED, NCHW};
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = input.castTo(dataType);
    MaxPooling c = layerConf();
    long[] shape = {x.size(0), x.size(1), c.outputSize(x.size(2)), c.outputSize(x.size(3))};
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c');
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(out)
        .addIntegerArguments(opArguments()).build());
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    INDArray x = input.castTo(dataType);
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, epsilon.castTo(dataType))
        .addOutputs(inputGradient).addIntegerArguments(opArguments()).build());
    return new Pair<>(new DefaultGradient(), inputGradient);
  }

  @Override
  public Type type() {
    return Type.SUBSAMPLING;
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public void clearNoiseWeightParams() {
  }
}
