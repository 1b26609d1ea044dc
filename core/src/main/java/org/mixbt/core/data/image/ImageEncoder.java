package org.mixbt.core.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Re-encodes a prep-time resized image. JPEG sources become JPEG at quality {@value #JPEG_QUALITY} with the
 * JDK's baseline writer (4:2:0 chroma, as most of ImageNet is stored): high enough that the re-encoding
 * error (about 1 level RMS) is far below the resize's own change, small enough to keep the point of
 * resizing (a 256-pixel ImageNet image is ~30 kB). Every other source (PNG, GIF, BMP, TIFF) becomes PNG,
 * lossless, so a lossless dataset stays lossless. Both encoders are deterministic, so reruns give
 * byte-identical shards.
 */
public final class ImageEncoder {
  public static final float JPEG_QUALITY = 0.95f;

  private ImageEncoder() {}

  /** The format a resized image from a {@code sourceFormat} file is stored in. */
  public static String targetFormat(String sourceFormat) {
    return ImageFormats.JPEG.equals(sourceFormat) ? ImageFormats.JPEG : ImageFormats.PNG;
  }

  /** Encodes {@code image} in {@link #targetFormat}{@code (image.format())}. */
  public static byte[] encode(DecodedImage image) {
    String format = targetFormat(image.format());
    BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.pixels();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals(ImageFormats.JPEG)) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
      }
      writer.write(null, new IIOImage(b, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode resized image as " + format + ": " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
