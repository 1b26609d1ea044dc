package org.mixbt.core.loss;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mixed Barlow Twins (Bandara et al., arXiv 2312.02151), small-data variant (the seed's {@code main.py}),
 * as plain ND4J math returning the loss and its hand-derived gradients.
 *
 * <p>Inputs are the network outputs of one batch, each [N, d]: {@code out1}, {@code out2} for the two
 * augmented views and {@code outM} for the mixed view {@code xm = a x1 + (1 - a) Shuffle(x2)}. With
 * every view standardised per column over the batch ({@code z = (out - mean) / std}, unbiased std, no
 * epsilon):
 * <pre>
 *   C        = z1^T z2 / N
 *   loss_bt  = sum_i (1 - C_ii)^2 + lambda * sum_{i != j} C_ij^2
 *   C_m1     = zm^T z1 / N,   C_m1_gt = (a z1^T z1 + (1 - a) Shuffle(z2)^T z1) / N
 *   C_m2     = zm^T z2 / N,   C_m2_gt = (a z1^T z2 + (1 - a) Shuffle(z2)^T z2) / N      (paper, main.py)
 *   loss_mix = mixScale * lambda * (||C_m1 - C_m1_gt||_F^2 + ||C_m2 - C_m2_gt||_F^2)
 *   total    = loss_bt + loss_mix
 * </pre>
 * where row i of {@code Shuffle(z2)} is {@code z2[perm[i]]}. Nothing is detached: the gradients flow
 * into both {@code C_m} and {@code C_m_gt} and through every batch mean and std. The mix differences
 * factor as {@code C_m1 - C_m1_gt = R1^T z1 / N} and {@code C_m2 - C_m2_gt = R2^T z2 / N} with the
 * residual {@code R1 = R2 = zm - a z1 - (1 - a) Shuffle(z2)}, which is how they are computed here.
 *
 * <p>The ImageNet code path ({@code main_imagenet.py}) is this loss with {@code mixScale = 0.5 *
 * lambda_mixup(step)} (see {@link #withMixScale}) and, optionally, its {@code C_m2_gt} quirk
 * {@code a z2^T z2} in place of {@code a z1^T z2} ({@link Cm2Target#IMAGENET_CODE}, giving
 * {@code R2 = zm - a z2 - (1 - a) Shuffle(z2)}); its inputs are not L2-normalised, which changes nothing
 * here. Its multi-GPU all-reduce of C is not modelled.
 *
 * <p>Work happens in the inputs' data type. At most one [d, d] matrix is alive at a time (each is
 * released as soon as its gradient contribution is taken). Degenerate batches (N &lt; 2, or a constant
 * or non-finite column in any view) raise {@link DegenerateBatchException} before any loss arithmetic.
 * Instances are immutable and thread-safe.
 */
public final class MixedBarlowTwinsLoss {

  /** Which cross-correlation the mixed view is regressed onto for view 2. */
  public enum Cm2Target {
    /** {@code C_m2_gt = (a z1^T z2 + (1 - a) Shuffle(z2)^T z2) / N}: the paper and {@code main.py}. */
    PAPER,
    /** {@code C_m2_gt = (a z2^T z2 + (1 - a) Shuffle(z2)^T z2) / N}: what {@code main_imagenet.py} does. */
    IMAGENET_CODE
  }

  private final double lambda;
  private final double mixScale;
  private final Cm2Target cm2Target;

  /**
   * The small-data loss with the paper's {@code C_m2_gt}.
   *
   * @param lambda weight of the off-diagonal terms (0.0078125 in the small-data recipes)
   * @param mixScale weight of the mix term relative to lambda (4.0 for CIFAR, 2.0 for STL-10)
   */
  public MixedBarlowTwinsLoss(double lambda, double mixScale) {
    this(lambda, mixScale, Cm2Target.PAPER);
  }

  private MixedBarlowTwinsLoss(double lambda, double mixScale, Cm2Target cm2Target) {
    if (!(Double.isFinite(lambda) && lambda >= 0)) {
      throw new IllegalArgumentException("Cannot create loss: lambda must be finite and >= 0: " + lambda);
    }
    if (!(Double.isFinite(mixScale) && mixScale >= 0)) {
      throw new IllegalArgumentException("Cannot create loss: mixScale must be finite and >= 0: " + mixScale);
    }
    this.lambda = lambda;
    this.mixScale = mixScale;
    this.cm2Target = Objects.requireNonNull(cm2Target, "cm2Target");
  }

  /** A copy with another mix scale (e.g. the ImageNet path's warmed-up {@code 0.5 * lambda_mixup}). */
  public MixedBarlowTwinsLoss withMixScale(double newMixScale) {
    return new MixedBarlowTwinsLoss(lambda, newMixScale, cm2Target);
  }

  /** A copy with another {@code C_m2_gt} definition. */
  public MixedBarlowTwinsLoss withCm2Target(Cm2Target target) {
    return new MixedBarlowTwinsLoss(lambda, mixScale, target);
  }

  public double lambda() {
    return lambda;
  }

  public double mixScale() {
    return mixScale;
  }

  public Cm2Target cm2Target() {
    return cm2Target;
  }

  /**
   * Plain Barlow Twins ({@code loss_mix = 0}, no mixed view).
   *
   * @param out1 network output for view 1, [N, d]
   * @param out2 network output for view 2, [N, d], same data type
   * @throws DegenerateBatchException if N &lt; 2 or a column of either view has zero / non-finite std
   */
  public BarlowTwinsTerms plain(INDArray out1, INDArray out2) {
    InputChecks.sameMatrixShape(out1, out2, null);
    StandardizedView s1 = StandardizedView.of(out1, "view1");
    StandardizedView s2 = StandardizedView.of(out2, "view2");
    INDArray[] gz = new INDArray[2];
    double lossBt = barlowTwinsTerm(s1.z, s2.z, gz);
    return new BarlowTwinsTerms(lossBt, 0.0, s1.backward(gz[0]), s2.backward(gz[1]), null);
  }

  /**
   * Mixed Barlow Twins.
   *
   * @param out1 network output for view 1, [N, d]
   * @param out2 network output for view 2, [N, d]
   * @param outM network output for the mixed view {@code alpha x1 + (1 - alpha) Shuffle(x2)}, [N, d]
   * @param alpha the mixing weight, in [0, 1]
   * @param perm the shuffle: {@code Shuffle(z2)[i] = z2[perm[i]]}, a permutation of 0..N-1
   * @throws DegenerateBatchException if N &lt; 2 or a column of any view has zero / non-finite std
   */
  public BarlowTwinsTerms mixed(INDArray out1, INDArray out2, INDArray outM, double alpha, int[] perm) {
    InputChecks.sameMatrixShape(out1, out2, Objects.requireNonNull(outM, "outM"));
    InputChecks.alphaAndPermutation(alpha, perm, out1.rows());
    StandardizedView s1 = StandardizedView.of(out1, "view1");
    StandardizedView s2 = StandardizedView.of(out2, "view2");
    StandardizedView sm = StandardizedView.of(outM, "mixed");
    INDArray[] gz = new INDArray[3];
    double lossBt = barlowTwinsTerm(s1.z, s2.z, gz);
    double lossMix = mixTerm(s1.z, s2.z, sm.z, alpha, perm, gz);
    return new BarlowTwinsTerms(lossBt, lossMix, s1.backward(gz[0]), s2.backward(gz[1]),
        sm.backward(gz[2]));
  }

  /**
   * {@code loss_bt} and its gradients: with {@code G = dL/dC} ({@code 2 lambda C_ij} off the diagonal,
   * {@code 2 (C_ii - 1)} on it), {@code dL/dz1 = z2 G^T / N} and {@code dL/dz2 = z1 G / N}. Writes
   * {@code dL/dz1}, {@code dL/dz2} into {@code gz[0]}, {@code gz[1]}.
   */
  private double barlowTwinsTerm(INDArray z1, INDArray z2, INDArray[] gz) {
    double invN = 1.0 / z1.rows();
    // empirical cross-correlation matrix, [d, d]
    INDArray c = Nd4j.gemm(z1, z2, true, false).muli(invN);
    // its diagonal C_ii = sum_rows(z1 * z2) / N, [1, d], without extracting it from C
    INDArray diag = z1.mul(z2).sum(true, 0).muli(invN);
    double onDiagSq = diag.mul(diag).sumNumber().doubleValue();
    double onDiagLoss = diag.sub(1.0).norm2Number().doubleValue();
    // loss: sum_i (1 - C_ii)^2 + lambda * (||C||_F^2 - sum_i C_ii^2)
    double lossBt = onDiagLoss * onDiagLoss + lambda * (squaredNorm(c) - onDiagSq);
    // G = 2 lambda C + diag(v), v_i = 2 (C_ii - 1) - 2 lambda C_ii; C now holds 2 lambda C / N
    INDArray v = diag.muli(2 * (1 - lambda) * invN).subi(2 * invN);
    c.muli(2 * lambda * invN);
    gz[0] = Nd4j.gemm(z2, c, false, true).addi(z2.mul(v));
    gz[1] = Nd4j.gemm(z1, c, false, false).addi(z1.mul(v));
    c.close();
    return lossBt;
  }

  /**
   * {@code loss_mix} and its gradients, added into {@code gz[0..1]}, written to {@code gz[2]}. For one
   * difference {@code D = R^T z / N} with {@code G = dL/dD = 2 s D} ({@code s = mixScale * lambda}):
   * {@code dL/dR = z G^T / N} and {@code dL/dz += R G / N}; then {@code R = zm - a t - (1 - a) P z2}
   * sends {@code dL/dR} to zm (+1), to t (-a) and, through the shuffle P, to z2 (-(1 - a) P^T).
   */
  private double mixTerm(INDArray z1, INDArray z2, INDArray zm, double a, int[] perm, INDArray[] gz) {
    // zm - (1 - a) Shuffle(z2): the part of the residual both targets share
    INDArray shuffledZ2 = Nd4j.pullRows(z2, 1, perm);
    INDArray common = zm.sub(shuffledZ2.muli(1 - a));
    // R1 = zm - a z1 - (1 - a) Shuffle(z2) regresses zm onto the mixed target for C_m1
    INDArray r1 = common.sub(z1.mul(a));
    // R2 = R1 in the paper; the ImageNet code uses a z2 where the paper has a z1
    INDArray r2 = cm2Target == Cm2Target.PAPER ? r1 : common.subi(z2.mul(a));
    INDArray[] gradR1 = new INDArray[1];
    INDArray[] gradR2 = new INDArray[1];
    // ||C_m1 - C_m1_gt||_F^2 and ||C_m2 - C_m2_gt||_F^2, with their gradients
    double sq1 = mixDifference(r1, z1, gz, 0, gradR1);
    double sq2 = mixDifference(r2, z2, gz, 1, gradR2);
    // dL/dzm = dL/dR1 + dL/dR2
    INDArray gradZm = gradR1[0].add(gradR2[0]);
    // the a-weighted targets: -a dL/dR1 to z1, -a dL/dR2 to z1 (paper) or z2 (ImageNet code)
    gz[0].subi(gradR1[0].muli(a));
    gz[cm2Target == Cm2Target.PAPER ? 0 : 1].subi(gradR2[0].muli(a));
    // the shuffled part: -(1 - a) P^T dL/dzm to z2, i.e. row perm[i] receives row i
    gz[1].subi(Nd4j.pullRows(gradZm, 1, inverse(perm)).muli(1 - a));
    gz[2] = gradZm;
    return mixScale * lambda * (sq1 + sq2);
  }

  /**
   * {@code ||D||_F^2} for {@code D = R^T z / N}; adds {@code R G / N} into {@code gz[slot]} and sets
   * {@code gradR[0] = z G^T / N}, where {@code G = 2 mixScale lambda D}.
   */
  private double mixDifference(INDArray r, INDArray z, INDArray[] gz, int slot, INDArray[] gradR) {
    double invN = 1.0 / z.rows();
    // C_m - C_m_gt, [d, d]
    INDArray diff = Nd4j.gemm(r, z, true, false).muli(invN);
    double sq = squaredNorm(diff);
    // now holds G / N
    diff.muli(2 * mixScale * lambda * invN);
    gradR[0] = Nd4j.gemm(z, diff, false, true);
    gz[slot].addi(Nd4j.gemm(r, diff, false, false));
    diff.close();
    return sq;
  }

  private static double squaredNorm(INDArray x) {
    return Nd4j.getExecutioner().exec(new SquaredNorm(x)).getDouble(0);
  }

  private static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }
}
