package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * main_imagenet.py's loss through the DL4J adapter, as training runs it: the raw projector outputs (no L2
 * normalisation) side by side, the step in the labels, the ½ factor and the lambda_mixup warm-up applied by
 * the adapter. Golden: {@code loss_imagenet_N8_d16.json} (after warm-up: {@code mixup_loss_scale} 1, so
 * its {@code lossm} is the unscaled ½ · λ · (…)); at a warm-up step s of W the mix term and its gradient
 * scale by s / W, and loss_bt's gradient is the difference of the golden gradients at full and no mixing.
 * Tolerance 1e-9 relative, as the other golden tests.
 */
class ImagenetLossVariantTest {
  private static final long WARMUP = 12510;

  @ParameterizedTest
  @CsvSource({"imagenet_code, 12510", "paper, 12510", "imagenet_code, 20000", "paper, 0", "imagenet_code, 6255",
      "paper, 1251", "paper, 12509"})
  void matchesGoldenAtEveryWarmupStage(String variant, long step) {
    GoldenCase g = GoldenCase.load("loss_imagenet_N8_d16.json");
    MixedBarlowTwinsLoss.Cm2Target target = variant.equals("paper")
        ? MixedBarlowTwinsLoss.Cm2Target.PAPER : MixedBarlowTwinsLoss.Cm2Target.IMAGENET_CODE;
    MixedBarlowTwinsLossFunction fn = new MixedBarlowTwinsLossFunction(g.scalar("hyper/lambd"),
        g.scalar("hyper/mixup_loss_scale"), true, DegenerateBatchPolicy.FAIL, LossVariant.IMAGENET, target, WARMUP);
    INDArray pre = Nd4j.hstack(g.array("inputs/z_1"), g.array("inputs/z_2"), g.array("inputs/z_m"));
    INDArray labels = labels(g, step);

    INDArray gradient = fn.computeGradient(labels, pre, new ActivationIdentity(), null);
    StepTerms terms = fn.lastTerms();

    String out = "outputs/" + variant + "/";
    double w = Math.min(1.0, step / (double) WARMUP);
    double lossBt = g.scalar(out + "loss_bt");
    double lossMix = w * g.scalar(out + "loss_mix_unscaled");
    assertEquals(step, terms.step());
    assertEquals(lossBt, terms.lossBt(), 1e-9 * lossBt);
    assertEquals(lossMix, terms.lossMix(), 1e-9 * Math.max(lossMix, 1e-3));
    assertEquals(8 * (lossBt + lossMix), fn.computeScore(labels, pre, new ActivationIdentity(), null, false),
        1e-9 * 8 * (lossBt + lossMix));
    // golden gradients are of loss_bt + lossm; the loss_bt part alone is the same at every step
    INDArray full = Nd4j.hstack(g.array(out + "grad_z_1"), g.array(out + "grad_z_2"), g.array(out + "grad_z_m"));
    INDArray btOnly = btGradient(g, target);
    INDArray expected = btOnly.add(full.sub(btOnly).muli(w)).muli(8);
    double err = expected.sub(gradient).amaxNumber().doubleValue();
    assertTrue(err <= 1e-9 * Math.max(1, expected.amaxNumber().doubleValue()), "gradient error " + err);
  }

  /** The gradient of loss_bt alone (mix weight 0), from the pure loss function. */
  private static INDArray btGradient(GoldenCase g, MixedBarlowTwinsLoss.Cm2Target target) {
    BarlowTwinsTerms t = new MixedBarlowTwinsLoss(g.scalar("hyper/lambd"), 0).withCm2Target(target)
        .mixed(g.array("inputs/z_1"), g.array("inputs/z_2"), g.array("inputs/z_m"), g.scalar("hyper/alpha"),
            g.ints("inputs/index"));
    assertEquals(0.0, t.lossMix());
    return Nd4j.hstack(t.grad1(), t.grad2(), t.gradM());
  }

  /** Step labels in float64 (the golden alpha is not a float32 number). */
  private static INDArray labels(GoldenCase g, long step) {
    int[] index = g.ints("inputs/index");
    double[][] rows = new double[index.length][];
    for (int i = 0; i < index.length; i++) {
      rows[i] = new double[] {g.scalar("hyper/alpha"), index[i], step, index.length};
    }
    return Nd4j.create(rows);
  }
}
