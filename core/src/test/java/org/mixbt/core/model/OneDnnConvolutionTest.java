package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link OneDnnConvolution} forward, input gradient and weight gradient against direct loops over PyTorch's
 * Conv2d definition, for every kernel/stride/padding the ResNets use, including sides where the stride does
 * not divide (n + 2p − k) and the last input rows are never read.
 */
class OneDnnConvolutionTest {

  @ParameterizedTest(name = "k{0} s{1} p{2} side {3}")
  @CsvSource({"7,2,3,12", "7,2,3,13", "3,1,1,6", "3,2,1,7", "3,2,1,8", "1,2,0,7", "1,1,0,5"})
  void forwardAndGradientsFollowTheDefinition(int k, int s, int p, int side) {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
        .graphBuilder().addInputs("x").addLayer("conv", new OneDnnConvolution(3, 4, k, s, p), "x")
        .setOutputs("conv").setInputTypes(InputType.convolutional(side, side, 3)).build());
    net.init();
    net.initGradientsView();
    Nd4j.getRandom().setSeed(k * 100 + side);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, side, side);
    Layer conv = net.getLayer("conv");
    INDArray w = conv.getParam(ConvolutionWeightInitializer.WEIGHT);
    int o = (side + 2 * p - k) / s + 1;
    INDArray g = Nd4j.randn(DataType.DOUBLE, 2, 4, o, o);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 4, o, o);
    INDArray dx = Nd4j.zeros(DataType.DOUBLE, x.shape());
    INDArray dw = Nd4j.zeros(DataType.DOUBLE, w.shape());
    for (int n = 0; n < 2; n++) {
      for (int out = 0; out < 4; out++) {
        for (int a = 0; a < o; a++) {
          for (int b = 0; b < o; b++) {
            double sum = 0;
            for (int in = 0; in < 3; in++) {
              for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) {
                  int r = a * s - p + u;
                  int c = b * s - p + v;
                  if (r < 0 || r >= side || c < 0 || c >= side) {
                    continue;
                  }
                  sum += w.getDouble(out, in, u, v) * x.getDouble(n, in, r, c);
                  double up = g.getDouble(n, out, a, b);
                  dx.putScalar(new long[] {n, in, r, c}, dx.getDouble(n, in, r, c) + up * w.getDouble(out, in, u, v));
                  dw.putScalar(new long[] {out, in, u, v}, dw.getDouble(out, in, u, v) + up * x.getDouble(n, in, r, c));
                }
              }
            }
            y.putScalar(new long[] {n, out, a, b}, sum);
          }
        }
      }
    }
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    conv.setInput(x, mgr);
    INDArray actual = conv.activate(true, mgr);
    Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> back = conv.backpropGradient(g, mgr);
    assertArrayEquals(y.ravel().toDoubleVector(), actual.ravel().toDoubleVector(), 1e-10, "forward");
    assertArrayEquals(dx.ravel().toDoubleVector(), back.getSecond().ravel().toDoubleVector(), 1e-10, "input gradient");
    assertArrayEquals(dw.ravel().toDoubleVector(),
        back.getFirst().getGradientFor(ConvolutionWeightInitializer.WEIGHT).ravel().toDoubleVector(), 1e-10,
        "weight gradient");
  }
}
