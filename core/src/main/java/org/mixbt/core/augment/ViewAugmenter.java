package org.mixbt.core.augment;

import java.util.SplittableRandom;

/**
 * A dataset's training-view pipeline: uint8 HWC pixels in, one float CHW view out.
 *
 * <p>Implementations are stateless apart from their settings, so one instance can serve every thread of an
 * executor; all randomness comes from the {@code rng} argument (see {@link ViewRandom}), which keeps a view
 * a pure function of its seed.
 */
public interface ViewAugmenter {

  /** Channels of the stored image (1 for greyscale, 3 for RGB); {@code pixels.length == h * w * this}. */
  int inputChannels();

  /** Channels of the produced view. */
  int outputChannels();

  /** Height of the produced view, whatever the input size. */
  int outputHeight();

  /** Width of the produced view, whatever the input size. */
  int outputWidth();

  /** Number of floats one view occupies: {@code outputChannels * outputHeight * outputWidth}. */
  default int outputLength() {
    return outputChannels() * outputHeight() * outputWidth();
  }

  /**
   * Writes one augmented view in CHW order into {@code out[offset .. offset + outputLength())}; the batch
   * builder passes its NCHW buffer and {@code offset = n * outputLength()}, so no per-view array is made.
   *
   * @param pixels uint8 pixels in HWC order (read as unsigned)
   * @param height image height
   * @param width image width
   * @param rng the view's random stream; draws are consumed in a fixed documented order
   */
  void augment(byte[] pixels, int height, int width, SplittableRandom rng, float[] out, int offset);

  /** Convenience form of {@link #augment(byte[], int, int, SplittableRandom, float[], int)}. */
  default float[] augment(byte[] pixels, int height, int width, SplittableRandom rng) {
    float[] out = new float[outputLength()];
    augment(pixels, height, width, rng, out, 0);
    return out;
  }
}
