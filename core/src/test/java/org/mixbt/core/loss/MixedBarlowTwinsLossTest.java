package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The loss against the golden cases (computed in float64 from the original code's formulas).
 *
 * <p>Tolerances. float64: 1e-9 relative to {@code max(|expected|, 1)} (scalars) or to
 * {@code max(max|expected grad|, 1)} (gradient arrays, element-wise absolute error); our summation order
 * differs from torch's, the observed error is ~1e-15. float32: each file's {@code float32_info} records
 * how far torch's float32 run of the same formulas lands from float64 ({@code |total_float32 - total|}
 * and {@code max_abs_grad_err_float32}). We allow 10x that, since our float32 rounding is of the same
 * kind but in another order, with a floor of 1e-6 relative (about 8 float32 ulps) so a lucky torch
 * rounding does not make the bound unreasonably tight.
 */
class MixedBarlowTwinsLossTest {
  static final String[] VALUE_CASES = {
      "loss_cifar_mix_N8_d4.json", "loss_cifar_mix_N32_d16.json", "loss_cifar_mix_alpha0_N8_d4.json",
      "loss_cifar_mix_alpha1_identity_N8_d4.json", "loss_cifar_plain_N8_d4.json",
      "loss_cifar_plain_N32_d16.json", "loss_edge_N2_d4.json", "loss_edge_dgtN_N8_d64.json"};

  static Stream<Arguments> valueCases() {
    return Stream.of(VALUE_CASES).flatMap(f -> Stream.of(
        Arguments.of(f, DataType.DOUBLE), Arguments.of(f, DataType.FLOAT)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("valueCases")
  void matchesGoldenValuesAndGradients(String file, DataType type) {
    GoldenCase g = GoldenCase.load(file);
    BarlowTwinsTerms t = evaluate(g, type);
    Tolerance tol = Tolerance.of(g, type);

    assertEquals(g.scalar("outputs/loss_bt"), t.lossBt(), tol.scalar, "loss_bt");
    assertEquals(g.scalar("outputs/loss_mix"), t.lossMix(), tol.scalar, "loss_mix");
    assertEquals(g.scalar("outputs/total"), t.total(), tol.scalar, "total");
    assertClose(g.array("outputs/grad_out_1"), t.grad1(), tol.grad, type, "grad_out_1");
    assertClose(g.array("outputs/grad_out_2"), t.grad2(), tol.grad, type, "grad_out_2");
    if (isMixed(g)) {
      assertClose(g.array("outputs/grad_out_m"), t.gradM(), tol.grad, type, "grad_out_m");
    } else {
      assertEquals(0.0, t.lossMix());
      assertNull(t.gradM());
    }
  }

  @Test
  void batchOfTwoHasZeroGradients() {
    // N=2: every z entry is +-1/sqrt(2) whatever the input, so the loss is locally constant
    GoldenCase g = GoldenCase.load("loss_edge_N2_d4.json");
    BarlowTwinsTerms t = evaluate(g, DataType.DOUBLE);
    for (INDArray grad : new INDArray[] {t.grad1(), t.grad2(), t.gradM()}) {
      assertTrue(maxAbs(grad) < 1e-12, "N=2 gradient should be 0 up to rounding: " + grad);
    }
  }

  @Test
  void moreFeaturesThanRowsMatchesGolden() {
    GoldenCase g = GoldenCase.load("loss_edge_dgtN_N8_d64.json");
    assertTrue(g.shape("inputs/out_1")[1] > g.shape("inputs/out_1")[0]);
    BarlowTwinsTerms t = evaluate(g, DataType.DOUBLE);
    assertEquals(g.scalar("outputs/total"), t.total(), 1e-9 * g.scalar("outputs/total"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"loss_edge_constcol_N8_d4.json", "loss_edge_constcol_plain_N8_d4.json"})
  void constantColumnIsRejectedNamingViewAndColumn(String file) {
    GoldenCase g = GoldenCase.load(file);
    // the original code yields NaN here; we refuse instead
    assertTrue(Double.isNaN(g.scalar("outputs/total")));
    DegenerateBatchException e = assertThrows(DegenerateBatchException.class,
        () -> evaluate(g, DataType.DOUBLE));
    assertEquals("view1", e.view());
    assertArrayEquals(new int[] {2}, e.columns());
    assertEquals(8, e.batchSize());
    assertEquals("Cannot standardise view1 for the Barlow Twins loss: zero or non-finite std over N=8"
        + " rows: columns [2]", e.getMessage());
  }

  @Test
  void singleRowBatchIsRejected() {
    GoldenCase g = GoldenCase.load("loss_cifar_mix_N8_d4.json");
    INDArray row1 = g.array("inputs/out_1").get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup();
    INDArray row2 = g.array("inputs/out_2").get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup();
    INDArray rowM = g.array("inputs/out_m").get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup();
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(0.0078125, 4.0);
    DegenerateBatchException plain = assertThrows(DegenerateBatchException.class,
        () -> loss.plain(row1, row2));
    DegenerateBatchException mixed = assertThrows(DegenerateBatchException.class,
        () -> loss.mixed(row1, row2, rowM, 0.5, new int[] {0}));
    for (DegenerateBatchException e : new DegenerateBatchException[] {plain, mixed}) {
      assertEquals("view1", e.view());
      assertArrayEquals(new int[] {0, 1, 2, 3}, e.columns());
      assertEquals("Cannot standardise view1 for the Barlow Twins loss: N=1 rows, but the unbiased std"
          + " needs N >= 2: columns [0, 1, 2, 3]", e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"imagenet_code", "paper"})
  void imagenetVariantMatchesGolden(String variant) {
    GoldenCase g = GoldenCase.load("loss_imagenet_N8_d16.json");
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(g.scalar("hyper/lambd"),
        0.5 * g.scalar("hyper/mixup_loss_scale")).withCm2Target(variant.equals("paper")
            ? MixedBarlowTwinsLoss.Cm2Target.PAPER : MixedBarlowTwinsLoss.Cm2Target.IMAGENET_CODE);
    BarlowTwinsTerms t = loss.mixed(g.array("inputs/z_1"), g.array("inputs/z_2"), g.array("inputs/z_m"),
        g.scalar("hyper/alpha"), g.ints("inputs/index"));
    String out = "outputs/" + variant + "/";
    assertEquals(g.scalar(out + "loss_bt"), t.lossBt(), 1e-9 * g.scalar(out + "loss_bt"));
    assertEquals(g.scalar(out + "loss_mix_scaled"), t.lossMix(), 1e-9);
    assertEquals(g.scalar(out + "total"), t.total(), 1e-9 * g.scalar(out + "total"));
    double gradTol = 1e-9 * Math.max(1, maxAbs(g.array(out + "grad_z_1")));
    assertClose(g.array(out + "grad_z_1"), t.grad1(), gradTol, DataType.DOUBLE, "grad_z_1");
    assertClose(g.array(out + "grad_z_2"), t.grad2(), gradTol, DataType.DOUBLE, "grad_z_2");
    assertClose(g.array(out + "grad_z_m"), t.gradM(), gradTol, DataType.DOUBLE, "grad_z_m");
  }

  static boolean isMixed(GoldenCase g) {
    return g.node("hyper/mix").asBoolean() && g.has("inputs/out_m");
  }

  static BarlowTwinsTerms evaluate(GoldenCase g, DataType type) {
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(g.scalar("hyper/lmbda"),
        g.scalar("hyper/mixup_loss_scale"));
    INDArray out1 = g.array("inputs/out_1", type);
    INDArray out2 = g.array("inputs/out_2", type);
    if (!isMixed(g)) {
      return loss.plain(out1, out2);
    }
    return loss.mixed(out1, out2, g.array("inputs/out_m", type), g.scalar("hyper/alpha"),
        g.ints("inputs/index"));
  }

  static double maxAbs(INDArray x) {
    return x.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
  }

  static void assertClose(INDArray expected, INDArray actual, double tol, DataType type, String what) {
    assertEquals(type, actual.dataType(), what + " data type");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    double err = maxAbs(expected.sub(actual.castTo(DataType.DOUBLE)));
    assertTrue(err <= tol, what + ": max abs error " + err + " > tolerance " + tol);
  }

  /** Absolute tolerances for one golden case in one data type (see the class comment). */
  static final class Tolerance {
    final double scalar;
    final double grad;

    private Tolerance(double scalar, double grad) {
      this.scalar = scalar;
      this.grad = grad;
    }

    static Tolerance of(GoldenCase g, DataType type) {
      double total = Math.abs(g.scalar("outputs/total"));
      double maxGrad = g.scalar("outputs/float32_info/max_abs_grad");
      if (type == DataType.DOUBLE) {
        return new Tolerance(1e-9 * Math.max(total, 1), 1e-9 * Math.max(maxGrad, 1));
      }
      double totalErr32 = Math.abs(g.scalar("outputs/float32_info/total_float32") - total);
      double gradErr32 = g.scalar("outputs/float32_info/max_abs_grad_err_float32");
      return new Tolerance(Math.max(10 * totalErr32, 1e-6 * Math.max(total, 1)),
          Math.max(10 * gradErr32, 1e-6 * Math.max(maxGrad, 1)));
    }
  }
}
