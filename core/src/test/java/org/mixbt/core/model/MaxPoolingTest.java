package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link MaxPooling} against a direct loop implementing PyTorch's MaxPool2d definition (padded positions
 * are −∞). The input is all negative, so libnd4j padding with zeros would put 0 in every border output,
 * and a wrong output size or stride would change the shape.
 */
class MaxPoolingTest {

  @ParameterizedTest
  @CsvSource({"3,2,1,7", "3,2,1,8", "3,2,1,5", "2,2,0,6", "3,1,1,4"})
  void forwardAndBackwardFollowPyTorch(int kernel, int stride, int padding, int side) {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
        .graphBuilder().addInputs("x").addLayer("pool", new MaxPooling(kernel, stride, padding), "x")
        .setOutputs("pool").setInputTypes(InputType.convolutional(side, side, 2)).build());
    net.init();
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, side, side).subi(1.5);   // all in [-1.5, -0.5)
    INDArray out = net.outputSingle(false, x);

    int o = (side + 2 * padding - kernel) / stride + 1;
    assertArrayEquals(new long[] {2, 2, o, o}, out.shape());
    INDArray expectedGrad = Nd4j.zeros(DataType.DOUBLE, x.shape());
    INDArray upstream = Nd4j.rand(DataType.DOUBLE, 2, 2, o, o);
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < o; i++) {
          for (int j = 0; j < o; j++) {
            double best = Double.NEGATIVE_INFINITY;
            int bi = -1;
            int bj = -1;
            for (int u = i * stride - padding; u < i * stride - padding + kernel; u++) {
              for (int v = j * stride - padding; v < j * stride - padding + kernel; v++) {
                if (u >= 0 && u < side && v >= 0 && v < side && x.getDouble(n, c, u, v) > best) {
                  best = x.getDouble(n, c, u, v);
                  bi = u;
                  bj = v;
                }
              }
            }
            assertEquals(best, out.getDouble(n, c, i, j), 0, "output " + n + "," + c + "," + i + "," + j);
            expectedGrad.putScalar(new long[] {n, c, bi, bj},
                expectedGrad.getDouble(n, c, bi, bj) + upstream.getDouble(n, c, i, j));
          }
        }
      }
    }
    org.deeplearning4j.nn.api.Layer pool = net.getLayer("pool");
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    pool.setInput(x, mgr);
    pool.activate(true, mgr);
    INDArray grad = pool.backpropGradient(upstream, mgr).getSecond();
    assertArrayEquals(expectedGrad.ravel().toDoubleVector(), grad.ravel().toDoubleVector(), 1e-12);
  }
}
