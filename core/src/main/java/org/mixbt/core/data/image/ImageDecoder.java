package org.mixbt.core.data.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.pnm.PNMImageReaderSpi;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an encoded image file into RGB HWC uint8 pixels as PIL's {@code convert("RGB")} does (what
 * torchvision's default loader returns): grey is copied into three channels, alpha is dropped (not
 * composited), palette indices are looked up, 16-bit samples keep their high byte, and colour profiles are
 * ignored (sample values are taken as they are stored). The format comes from the bytes
 * ({@link ImageFormats#detect}).
 *
 * <p>JPEGs go through TwelveMonkeys' reader, which also reads the CMYK/YCCK and broken-ICC JPEGs ImageNet
 * contains (converted to RGB by their embedded or a default profile); other formats through the JDK's
 * ImageIO readers. A truncated JPEG, which the JDK reader would fill with grey after a warning, is an error
 * (PIL refuses it too); so is a JPEG whose entropy-coded data ends early in the middle (PIL would load
 * the damaged image with a warning: stricter here, so no invented pixels reach a shard). The JPEG IDCT differs from libjpeg-turbo's (PIL), so JPEG pixels may differ from
 * PIL's by a few levels; decoding is deterministic, so every reader of a shard sees the same pixels.
 *
 * <p>Thread-safe: each call uses its own reader.
 */
public final class ImageDecoder {
  private static final JPEGImageReaderSpi JPEG_SPI = registerJpeg();
  /** Used directly, for the same class path reason as the JPEG reader; the JDK has no PNM reader. */
  private static final PNMImageReaderSpi PNM_SPI = new PNMImageReaderSpi();

  private ImageDecoder() {}

  /**
   * Registers the TwelveMonkeys JPEG reader explicitly: on Spark executors the user jar is not on the class
   * path ImageIO scans, so its META-INF/services entry may never be seen. Registering lets the provider
   * find the JDK reader it delegates to.
   */
  private static JPEGImageReaderSpi registerJpeg() {
    JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
    IIORegistry.getDefaultInstance().registerServiceProvider(spi);
    return spi;
  }

  /** Decodes {@code bytes}; {@code source} names the file in error messages. */
  public static DecodedImage decode(byte[] bytes, String source) {
    String format = ImageFormats.detect(bytes);
    if (format == null) {
      throw new ImageDecodeException(source, "unknown image format: first bytes " + hexPrefix(bytes), null);
    }
    BufferedImage image;
    try {
      image = read(bytes, format);
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException(source, "unreadable " + format + ": " + e, e);
    }
    return new DecodedImage(format, image.getHeight(), image.getWidth(), toRgb(image));
  }

  private static BufferedImage read(byte[] bytes, String format) throws IOException {
    ImageReader reader = switch (format) {
      case ImageFormats.JPEG -> JPEG_SPI.createReaderInstance();
      case ImageFormats.PNM -> PNM_SPI.createReaderInstance();
      default -> readerFor(format);
    };
    AtomicReference<String> truncated = new AtomicReference<>();
    reader.addIIOReadWarningListener(new IIOReadWarningListener() {
      @Override
      public void warningOccurred(ImageReader r, String warning) {
        // "Truncated File - Missing EOI marker", "Corrupt JPEG data: premature end of data segment" (what the
        // JDK reader says for a cut-off file): the rest of the image would be invented grey.
        if (warning != null && (warning.startsWith("Truncated File") || warning.contains("premature end"))) {
          truncated.set(warning);
        }
      }
    });
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      if (truncated.get() != null) {
        throw new IOException("truncated: " + truncated.get());
      }
      return image;
    } finally {
      reader.dispose();
    }
  }

  private static ImageReader readerFor(String format) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IOException("no ImageIO reader for " + format);
    }
    return readers.next();
  }

  /** Sample values to RGB, PIL-style (see the class comment). */
  static byte[] toRgb(BufferedImage image) {
    int h = image.getHeight();
    int w = image.getWidth();
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    int colourType = cm.getColorSpace().getType();
    byte[] rgb = new byte[h * w * 3];
    if (!(cm instanceof IndexColorModel) && colourType == ColorSpace.TYPE_RGB && bands >= 3
        && raster.getDataBuffer() instanceof DataBufferByte buffer
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      // The common case (JPEG's TYPE_3BYTE_BGR, 8-bit RGB(A) PNG): copy bytes straight from the buffer.
      byte[] data = buffer.getData();
      int[] offsets = sm.getBandOffsets();
      int stride = sm.getPixelStride();
      int scan = sm.getScanlineStride();
      int o = 0;
      for (int y = 0; y < h; y++) {
        int p = y * scan;
        for (int x = 0; x < w; x++, p += stride) {
          rgb[o++] = data[p + offsets[0]];
          rgb[o++] = data[p + offsets[1]];
          rgb[o++] = data[p + offsets[2]];
        }
      }
    } else if (cm instanceof IndexColorModel icm) {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          rgb[o] = (byte) icm.getRed(row[x]);
          rgb[o + 1] = (byte) icm.getGreen(row[x]);
          rgb[o + 2] = (byte) icm.getBlue(row[x]);
        }
      }
    } else if (colourType == ColorSpace.TYPE_GRAY || colourType == ColorSpace.TYPE_RGB) {
      int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
      boolean grey = colourType == ColorSpace.TYPE_GRAY;
      int[] px = new int[w * bands];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, px);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          int i = x * bands;
          for (int c = 0; c < 3; c++) {
            rgb[o + c] = (byte) (px[i + (grey ? 0 : c)] >>> shift);
          }
        }
      }
    } else {
      // Any other colour space (a CMYK JPEG read without conversion): let Java2D convert to sRGB.
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = image.getRGB(x, y);
          int o = (y * w + x) * 3;
          rgb[o] = (byte) (argb >>> 16);
          rgb[o + 1] = (byte) (argb >>> 8);
          rgb[o + 2] = (byte) argb;
        }
      }
    }
    return rgb;
  }

  private static String hexPrefix(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      s.append(String.format("%02x", bytes[i] & 0xFF));
    }
    return bytes.length == 0 ? "(empty file)" : s.toString();
  }
}
