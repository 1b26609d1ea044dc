package org.mixbt.core.augment;

/**
 * The deterministic pixel steps of the view pipelines, on CHW float planes addressed by an offset into a
 * larger array (so they can run directly in a batch buffer). Each matches the torchvision function named in
 * its Javadoc for float tensors in [0, 1].
 */
public final class ImageOps {
  private ImageOps() {}

  /**
   * uint8 HWC to float CHW in [0, 1] ({@code ToTensor}) with {@code pad} zero pixels on every side
   * ({@code Pad(pad)}, fill 0). Writes {@code channels x (height + 2 pad) x (width + 2 pad)} floats.
   */
  public static void toUnitPadded(byte[] hwc, int height, int width, int channels, int pad,
      float[] dst, int dstOffset) {
    if (hwc.length != height * width * channels) {
      throw new IllegalArgumentException("Cannot convert image: expected " + height + "x" + width + "x"
          + channels + " = " + height * width * channels + " bytes: " + hwc.length);
    }
    int ph = height + 2 * pad;
    int pw = width + 2 * pad;
    int plane = ph * pw;
    for (int c = 0; c < channels; c++) {
      int base = dstOffset + c * plane;
      java.util.Arrays.fill(dst, base, base + plane, 0f);
      for (int y = 0; y < height; y++) {
        int out = base + (y + pad) * pw + pad;
        int in = y * width * channels + c;
        for (int x = 0; x < width; x++, in += channels) {
          dst[out + x] = (hwc[in] & 0xff) / 255f;
        }
      }
    }
  }

  /** Mirrors each row of every channel in place ({@code F.hflip}). */
  public static void flipHorizontal(float[] a, int offset, int channels, int height, int width) {
    for (int row = 0; row < channels * height; row++) {
      int i = offset + row * width;
      int j = i + width - 1;
      for (; i < j; i++, j--) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }

  /** {@code x = clamp(factor * x, 0, 1)} over {@code length} values ({@code F.adjust_brightness}). */
  public static void adjustBrightness(float[] a, int offset, int length, float factor) {
    for (int i = offset; i < offset + length; i++) {
      a[i] = clampUnit(factor * a[i]);
    }
  }

  /**
   * {@code x = clamp(factor * x + (1 - factor) * mean(x), 0, 1)} over one greyscale plane
   * ({@code F.adjust_contrast}; for one channel its grey image is the plane itself). The mean is over the
   * whole plane as it is now, i.e. after brightness. RGB images need the mean of the luma plane instead.
   */
  public static void adjustContrastGrey(float[] a, int offset, int length, float factor) {
    double sum = 0;
    for (int i = offset; i < offset + length; i++) {
      sum += a[i];
    }
    float mean = (float) (sum / length);
    float shift = (1f - factor) * mean;
    for (int i = offset; i < offset + length; i++) {
      a[i] = clampUnit(factor * a[i] + shift);
    }
  }

  /** {@code x = (x - mean) / std} over {@code length} values ({@code Normalize} for one channel). */
  public static void normalise(float[] a, int offset, int length, float mean, float std) {
    for (int i = offset; i < offset + length; i++) {
      a[i] = (a[i] - mean) / std;
    }
  }

  /**
   * Copies the plane at {@code offset} into the {@code copies - 1} planes after it ({@code repeat(3, 1, 1)}):
   * the network keeps the original 3-channel stem for greyscale data.
   */
  public static void repeatPlane(float[] a, int offset, int planeLength, int copies) {
    for (int k = 1; k < copies; k++) {
      System.arraycopy(a, offset, a, offset + k * planeLength, planeLength);
    }
  }

  private static float clampUnit(float x) {
    return x < 0f ? 0f : (x > 1f ? 1f : x);
  }
}
