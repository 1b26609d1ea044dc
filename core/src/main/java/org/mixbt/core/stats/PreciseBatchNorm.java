package org.mixbt.core.stats;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.model.ViewBatchNormLayer;
import org.mixbt.core.model.ViewBatchNormParams;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Replaces every BatchNorm layer's running mean and variance by the population statistics of its input
 * (precise BN, Wu and Johnson 2021, "Rethinking 'Batch' in BatchNorm"): instead of the exponential moving
 * average of batch statistics, averaged arithmetically over workers by parameter averaging.
 *
 * <p>What "population" means here: all values a channel takes over the pass's samples, the view groups
 * pooled (by default all three: view1, view2 and mixed each feed the running estimate in training too, and
 * evaluation uses one statistic for every input; the job can leave the mixtures out). mean = the pooled mean; var = the pooled variance with the unbiased
 * divisor M − 1, M = samples · H · W, as PyTorch keeps running_var unbiased (the two differ by a factor
 * M/(M − 1), negligible at these counts). This is the variance of the pooled values, which includes the
 * spread of the batch means around the population mean, unlike fvcore's "average of batch variances".
 */
public final class PreciseBatchNorm {
  private PreciseBatchNorm() {
  }

  /** Writes the statistics into {@code graph}'s layers of the same names; returns the largest relative change of a running variance. */
  public static double writeInto(ComputationGraph graph, Map<String, ChannelMoments> batchNormInputs) {
    double largest = 0;
    for (Layer layer : graph.getLayers()) {
      if (!(layer instanceof ViewBatchNormLayer)) {
        continue;
      }
      String name = layer.conf().getLayer().getLayerName();
      ChannelMoments m = batchNormInputs.get(name);
      if (m == null) {
        throw new IllegalArgumentException("Cannot write BatchNorm statistics: none for layer " + name);
      }
      INDArray mean = layer.getParam(ViewBatchNormParams.RUNNING_MEAN);
      INDArray var = layer.getParam(ViewBatchNormParams.RUNNING_VAR);
      if (m.channels() != mean.length()) {
        throw new IllegalArgumentException("Cannot write BatchNorm statistics into " + name + ": " + m.channels()
            + " channels for a layer of " + mean.length());
      }
      INDArray newVar = Nd4j.createFromArray(m.variance(true)).castTo(var.dataType());
      largest = Math.max(largest, newVar.sub(var).div(var.add(1e-12)).amaxNumber().doubleValue());
      // Parameters are views into the flat parameter vector: assign in place, so that the network's
      // params() (what parameter averaging broadcasts and checkpoints save) carries the new values.
      mean.assign(Nd4j.createFromArray(m.mean()).castTo(mean.dataType()).reshape(mean.shape()));
      var.assign(newVar.reshape(var.shape()));
    }
    return largest;
  }
}
