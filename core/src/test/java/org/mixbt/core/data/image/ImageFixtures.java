package org.mixbt.core.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Image files written by the JDK's ImageIO writers, for decoder and prep tests (shared via the test-jar). */
public final class ImageFixtures {
  private ImageFixtures() {}

  /** A smooth random-ish RGB image (smooth so JPEG keeps it recognisable). */
  public static BufferedImage rgb(int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int a = r.nextInt(256);
    int b = r.nextInt(1, 9);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int red = (a + x * b) & 0xFF;
        int green = (a + y * b * 2) & 0xFF;
        int blue = (x * y + r.nextInt(8)) & 0xFF;
        img.setRGB(x, y, (red << 16) | (green << 8) | blue);
      }
    }
    return img;
  }

  /** A greyscale image (TYPE_BYTE_GRAY: one band, stored values as given). */
  public static BufferedImage grey(int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, (x * 5 + y * 3 + r.nextInt(4)) & 0xFF);
      }
    }
    return img;
  }

  /** A 4-colour palette image. */
  public static BufferedImage palette(int h, int w) {
    byte[] red = {(byte) 255, 0, 0, 17};
    byte[] green = {0, (byte) 200, 0, 99};
    byte[] blue = {0, 0, (byte) 150, (byte) 240};
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(2, 4, red, green, blue));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x + y) % 4);
      }
    }
    return img;
  }

  public static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format + " and " + img);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A raw PPM ("P6") written byte by byte from the netpbm specification, with GTSRB's header layout
   * ({@code P6\n<w> <h>\n255\n}), so the reader under test is not also the writer.
   */
  public static byte[] ppm(BufferedImage img) {
    byte[] header = ("P6\n" + img.getWidth() + " " + img.getHeight() + "\n255\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] px = pixels(img);
    byte[] out = java.util.Arrays.copyOf(header, header.length + px.length);
    System.arraycopy(px, 0, out, header.length, px.length);
    return out;
  }

  /** Bytes that start like a JPEG but are garbage after the first few markers. */
  public static byte[] corruptJpeg(long seed) {
    byte[] good = encode(rgb(20, 20, seed), "jpeg");
    byte[] bad = good.clone();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 20; i < bad.length; i++) {
      bad[i] = (byte) r.nextInt(256);
    }
    return bad;
  }

  /** TYPE_INT_RGB or grey pixels as RGB HWC bytes (what the decoder should return for a lossless file). */
  public static byte[] pixels(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] out = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
          byte v = (byte) img.getRaster().getSample(x, y, 0);
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
        } else {
          int argb = img.getRGB(x, y);
          out[o] = (byte) (argb >> 16);
          out[o + 1] = (byte) (argb >> 8);
          out[o + 2] = (byte) argb;
        }
      }
    }
    return out;
  }
}
