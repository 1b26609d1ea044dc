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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime half of {@link ViewBatchNorm}. Forward and backward run libnd4j's {@code batchnorm} and
 * {@code batchnorm_bp} ops once per view group; {@code batchnorm_bp} differentiates through the batch
 * mean and variance (checked against finite differences in the tests).
 */
public class ViewBatchNormLayer extends BaseLayer<ViewBatchNorm> {
  private static final int CHANNEL_AXIS = 1;

  /** Batch means and biased variances of each view group from the last training forward pass. */
  private INDArray[] groupMeans;
  private INDArray[] groupVars;

  public ViewBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private int[] reductionAxes(INDArray x) {
    return x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
  }

  private int groupCount(INDArray x) {
    int views = layerConf().getViews();
    if (x.size(0) % views != 0) {
      throw new IllegalStateException("Cannot normalise per view in " + layerConf().getLayerName()
          + ": minibatch of " + x.size(0) + " rows is not " + views + " equal view groups");
    }
    return views;
  }

  private static INDArray group(INDArray x, int g, long rows) {
    return x.get(NDArrayIndex.interval(g * rows, (g + 1) * rows));
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = input.castTo(dataType);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    if (!training) {
      normalise(x, getParam(ViewBatchNormParams.RUNNING_MEAN), getParam(ViewBatchNormParams.RUNNING_VAR), out);
      return out;
    }
    int groups = groupCount(x);
    long rows = x.size(0) / groups;
    groupMeans = new INDArray[groups];
    groupVars = new INDArray[groups];
    for (int g = 0; g < groups; g++) {
      INDArray xg = group(x, g, rows);
      // INPUT arrays live until the backward pass is done, as these statistics must.
      groupMeans[g] = workspaceMgr.createUninitialized(ArrayType.INPUT, dataType, layerConf().getNOut());
      groupVars[g] = workspaceMgr.createUninitialized(ArrayType.INPUT, dataType, layerConf().getNOut());
      // libnd4j's moments op: mean and biased variance in one call, ~4x faster than mean() + var().
      Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(xg).addOutputs(groupMeans[g], groupVars[g])
          .addIntegerArguments(reductionAxes(xg)).build());
      normalise(xg, groupMeans[g], groupVars[g], group(out, g, rows));
    }
    return out;
  }

  private void normalise(INDArray x, INDArray mean, INDArray var, INDArray out) {
    Nd4j.exec(DynamicCustomOp.builder("batchnorm")
        .addInputs(x, mean, var, getParam(ViewBatchNormParams.GAMMA), getParam(ViewBatchNormParams.BETA))
        .addOutputs(out)
        .addIntegerArguments(1, 1, CHANNEL_AXIS)
        .addFloatingPointArguments(layerConf().getEps())
        .build());
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (groupMeans == null) {
      throw new IllegalStateException("Cannot backpropagate " + layerConf().getLayerName()
          + ": no training-mode forward pass came first");
    }
    INDArray x = input.castTo(dataType);
    INDArray eps = epsilon.castTo(dataType);
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    INDArray dGamma = gradientViews.get(ViewBatchNormParams.GAMMA).assign(0);
    INDArray dBeta = gradientViews.get(ViewBatchNormParams.BETA).assign(0);
    long channels = layerConf().getNOut();
    long rows = x.size(0) / groupMeans.length;
    for (int g = 0; g < groupMeans.length; g++) {
      INDArray dMean = Nd4j.createUninitialized(dataType, channels);
      INDArray dVar = Nd4j.createUninitialized(dataType, channels);
      INDArray dGammaG = Nd4j.createUninitialized(dataType, channels);
      INDArray dBetaG = Nd4j.createUninitialized(dataType, channels);
      Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
          .addInputs(group(x, g, rows), groupMeans[g], groupVars[g],
              getParam(ViewBatchNormParams.GAMMA), getParam(ViewBatchNormParams.BETA), group(eps, g, rows))
          .addOutputs(group(inputGradient, g, rows), dMean, dVar, dGammaG, dBetaG)
          .addIntegerArguments(1, 1, CHANNEL_AXIS)
          .addFloatingPointArguments(layerConf().getEps())
          .build());
      dGamma.addi(dGammaG);
      dBeta.addi(dBetaG);
    }
    setRunningStatisticDeltas(x.length() / (channels * groupMeans.length));
    Gradient gradient = new DefaultGradient(gradientsFlattened);
    for (String key : ViewBatchNormParams.INSTANCE.paramKeys(layerConf())) {
      gradient.setGradientFor(key, gradientViews.get(key));
    }
    groupMeans = null;
    groupVars = null;
    return new Pair<>(gradient, inputGradient);
  }

  /**
   * Running statistics are parameters with a no-op updater, so their "gradient" is the negated step:
   * the updater subtracts it, leaving the value PyTorch's three sequential forward passes would leave.
   * (DL4J's own BatchNormalization uses the same trick; it keeps parameter averaging meaningful.)
   */
  private void setRunningStatisticDeltas(long valuesPerChannel) {
    double momentum = layerConf().getMomentum();
    double unbias = valuesPerChannel / (double) Math.max(1, valuesPerChannel - 1);
    INDArray mean = getParam(ViewBatchNormParams.RUNNING_MEAN);
    INDArray var = getParam(ViewBatchNormParams.RUNNING_VAR);
    INDArray newMean = mean.dup();
    INDArray newVar = var.dup();
    for (int g = 0; g < groupMeans.length; g++) {
      newMean.muli(1 - momentum).addi(groupMeans[g].mul(momentum));
      newVar.muli(1 - momentum).addi(groupVars[g].mul(momentum * unbias));
    }
    gradientViews.get(ViewBatchNormParams.RUNNING_MEAN).assign(mean.sub(newMean));
    gradientViews.get(ViewBatchNormParams.RUNNING_VAR).assign(var.sub(newVar));
  }

  @Override
  public boolean updaterDivideByMinibatch(String paramName) {
    return !ViewBatchNormParams.isRunningStatistic(paramName);
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
