package org.mixbt.core.augment;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The evaluation view (kNN bank and queries): {@code /255} -> zero-pad -> per-channel normalise -> repeat a
 * single grey channel to {@code outputChannels}. No randomness, so features are a pure function of the
 * image. The output is {@code (height + 2 pad) x (width + 2 pad)}; for Fashion-MNIST (28 + 2*2) that is the
 * training view's 32x32.
 */
public final class EvalTransform implements EvalView, Serializable {
  private static final long serialVersionUID = 1L;

  private final int inputChannels;
  private final int pad;
  private final float[] mean;
  private final float[] std;
  private final int outputChannels;

  /**
   * @param mean per input channel
   * @param std per input channel, positive
   * @param outputChannels equal to {@code inputChannels}, or any count when the input is one grey channel
   */
  public EvalTransform(int inputChannels, int pad, float[] mean, float[] std, int outputChannels) {
    if (inputChannels <= 0 || mean.length != inputChannels || std.length != inputChannels) {
      throw new IllegalArgumentException("Cannot build eval transform: need one mean and std per channel: "
          + inputChannels + " channels, " + mean.length + " means, " + std.length + " stds");
    }
    if (pad < 0) {
      throw new IllegalArgumentException("Cannot build eval transform: pad is negative: " + pad);
    }
    if (outputChannels != inputChannels && inputChannels != 1) {
      throw new IllegalArgumentException("Cannot build eval transform: only one grey channel can be "
          + "repeated: " + inputChannels + " -> " + outputChannels);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("Cannot build eval transform: std must be positive: " + s);
      }
    }
    this.inputChannels = inputChannels;
    this.pad = pad;
    this.mean = mean.clone();
    this.std = std.clone();
    this.outputChannels = outputChannels;
  }

  /** The evaluation transform matching a greyscale training recipe (same pad, mean, std, channels). */
  public static EvalTransform of(GreyscaleViewSettings s) {
    return new EvalTransform(1, s.pad(), new float[] {s.mean()}, new float[] {s.std()}, s.outputChannels());
  }

  public int outputChannels() {
    return outputChannels;
  }

  /** Floats written for an input of {@code height x width}. */
  public int outputLength(int height, int width) {
    return outputChannels * (height + 2 * pad) * (width + 2 * pad);
  }

  public float[] apply(byte[] pixels, int height, int width) {
    float[] out = new float[outputLength(height, width)];
    apply(pixels, height, width, out, 0);
    return out;
  }

  /** Writes the view CHW at {@code out[offset .. offset + outputLength(height, width))}. */
  @Override
  public void apply(byte[] pixels, int height, int width, float[] out, int offset) {
    int length = outputLength(height, width);
    if (offset < 0 || offset + length > out.length) {
      throw new IllegalArgumentException("Cannot write eval view: " + length + " floats at offset " + offset
          + " do not fit an array of " + out.length);
    }
    int plane = (height + 2 * pad) * (width + 2 * pad);
    ImageOps.toUnitPadded(pixels, height, width, inputChannels, pad, out, offset);
    for (int c = 0; c < inputChannels; c++) {
      ImageOps.normalise(out, offset + c * plane, plane, mean[c], std[c]);
    }
    if (inputChannels == 1) {
      ImageOps.repeatPlane(out, offset, plane, outputChannels);
    }
  }

  @Override
  public String toString() {
    return "EvalTransform[pad=" + pad + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
        + ", channels=" + inputChannels + "->" + outputChannels + "]";
  }
}
