package org.mixbt.core.augment;

/**
 * A deterministic evaluation view (kNN memory bank and queries, linear probe inputs): uint8 HWC pixels in,
 * normalised float CHW out, a pure function of the image.
 */
public interface EvalView {

  /** Writes the view of a {@code height x width} image in CHW order at {@code out[offset..]}. */
  void apply(byte[] pixels, int height, int width, float[] out, int offset);
}
