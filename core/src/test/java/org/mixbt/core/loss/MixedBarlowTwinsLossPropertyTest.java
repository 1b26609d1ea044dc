package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Properties of the loss that need no golden file: finite differences and affine invariance. */
class MixedBarlowTwinsLossPropertyTest {
  private static final int N = 6;
  private static final int D = 5;
  /** Central-difference step; truncation error ~h^2 and round-off ~1e-16 / h both stay near 1e-10. */
  private static final double H = 1e-5;
  private static final double FD_RTOL = 1e-6;

  @Test
  void plainGradientMatchesFiniteDifferences() {
    SplittableRandom rnd = new SplittableRandom(11);
    INDArray[] x = {unitRows(rnd), unitRows(rnd)};
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(0.0078125, 4.0);
    BarlowTwinsTerms t = loss.plain(x[0], x[1]);
    ToDoubleFunction<INDArray[]> total = v -> loss.plain(v[0], v[1]).total();
    assertFiniteDifferences(total, x, new INDArray[] {t.grad1(), t.grad2()});
  }

  @ParameterizedTest
  @EnumSource(MixedBarlowTwinsLoss.Cm2Target.class)
  void mixedGradientMatchesFiniteDifferences(MixedBarlowTwinsLoss.Cm2Target target) {
    SplittableRandom rnd = new SplittableRandom(12);
    INDArray[] x = {unitRows(rnd), unitRows(rnd), unitRows(rnd)};
    int[] perm = {3, 0, 5, 1, 2, 4};
    double alpha = 0.3;
    // a large lambda so the off-diagonal and mix terms are not swamped by the diagonal term
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(0.2, 4.0).withCm2Target(target);
    BarlowTwinsTerms t = loss.mixed(x[0], x[1], x[2], alpha, perm);
    assertTrue(t.lossMix() > 0.01, "mix term should matter: " + t);
    ToDoubleFunction<INDArray[]> total = v -> loss.mixed(v[0], v[1], v[2], alpha, perm).total();
    assertFiniteDifferences(total, x, new INDArray[] {t.grad1(), t.grad2(), t.gradM()});
  }

  @Test
  void plainLossIsInvariantToPerColumnAffineMapOfView1() {
    SplittableRandom rnd = new SplittableRandom(13);
    INDArray out1 = unitRows(rnd);
    INDArray out2 = unitRows(rnd);
    INDArray scale = Nd4j.create(new double[][] {{0.5, 2.0, 3.7, 0.01, 10.0}});
    INDArray shift = Nd4j.create(new double[][] {{-1.0, 0.3, 5.0, 0.0, -20.0}});
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(0.0078125, 4.0);

    BarlowTwinsTerms before = loss.plain(out1, out2);
    BarlowTwinsTerms after = loss.plain(out1.mul(scale).addi(shift), out2);

    assertEquals(before.lossBt(), after.lossBt(), 1e-12 * before.lossBt());
    assertClose(before.grad2(), after.grad2(), 1e-12);
    // chain rule: d/d(out1) = scale * d/d(scale * out1 + shift)
    assertClose(before.grad1(), after.grad1().mul(scale), 1e-12);
  }

  @Test
  void float32InputsGiveFloat32Gradients() {
    SplittableRandom rnd = new SplittableRandom(14);
    INDArray[] x = {unitRows(rnd), unitRows(rnd), unitRows(rnd)};
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(0.0078125, 4.0);
    BarlowTwinsTerms t64 = loss.mixed(x[0], x[1], x[2], 0.4, new int[] {1, 2, 3, 4, 5, 0});
    BarlowTwinsTerms t32 = loss.mixed(x[0].castTo(DataType.FLOAT), x[1].castTo(DataType.FLOAT),
        x[2].castTo(DataType.FLOAT), 0.4, new int[] {1, 2, 3, 4, 5, 0});
    assertEquals(DataType.FLOAT, t32.grad1().dataType());
    assertEquals(DataType.FLOAT, t32.gradM().dataType());
    assertEquals(t64.total(), t32.total(), 1e-5 * t64.total());
    assertClose(t64.gradM(), t32.gradM().castTo(DataType.DOUBLE), 1e-5);
  }

  private static void assertFiniteDifferences(ToDoubleFunction<INDArray[]> total, INDArray[] x,
      INDArray[] analytic) {
    for (int v = 0; v < x.length; v++) {
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++) {
          double numeric = centralDifference(total, x, v, i, j);
          double exact = analytic[v].getDouble(i, j);
          double tol = FD_RTOL * Math.max(1, Math.abs(exact));
          assertEquals(exact, numeric, tol, "view " + v + " element (" + i + ", " + j + ")");
        }
      }
    }
  }

  private static double centralDifference(ToDoubleFunction<INDArray[]> total, INDArray[] x, int v,
      int i, int j) {
    double original = x[v].getDouble(i, j);
    x[v].putScalar(i, j, original + H);
    double plus = total.applyAsDouble(x);
    x[v].putScalar(i, j, original - H);
    double minus = total.applyAsDouble(x);
    x[v].putScalar(i, j, original);
    return (plus - minus) / (2 * H);
  }

  /** An [N, D] float64 matrix of Gaussian rows, each L2-normalised (as the network returns them). */
  private static INDArray unitRows(SplittableRandom rnd) {
    double[][] rows = new double[N][D];
    for (double[] row : rows) {
      double norm = 0;
      for (int j = 0; j < D; j++) {
        row[j] = rnd.nextGaussian();
        norm += row[j] * row[j];
      }
      for (int j = 0; j < D; j++) {
        row[j] /= Math.sqrt(norm);
      }
    }
    return Nd4j.create(rows);
  }

  private static void assertClose(INDArray expected, INDArray actual, double rtol) {
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    double err = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(err <= rtol * scale, "max abs error " + err + " > " + rtol * scale);
  }
}
