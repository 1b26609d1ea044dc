package org.mixbt.core.data.image;

/**
 * Recognises an image file format from its first bytes (never from the file name: ImageNet's train set has
 * a PNG named {@code .JPEG}, and several CMYK JPEGs). Names are the lower-case ImageIO format names, which
 * are also the {@code encoding} values written in shards.
 */
public final class ImageFormats {
  public static final String JPEG = "jpeg";
  public static final String PNG = "png";
  public static final String GIF = "gif";
  public static final String BMP = "bmp";
  public static final String TIFF = "tiff";
  /** Netpbm PBM/PGM/PPM, plain or raw (GTSRB ships raw PPM, "P6"). */
  public static final String PNM = "pnm";

  private ImageFormats() {}

  /** The format of {@code bytes}, or null when no supported format's signature matches. */
  public static String detect(byte[] b) {
    if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(b, 'G', 'I', 'F', '8')) {
      return GIF;
    }
    if (startsWith(b, 'B', 'M')) {
      return BMP;
    }
    if (startsWith(b, 'I', 'I', 0x2A, 0x00) || startsWith(b, 'M', 'M', 0x00, 0x2A)) {
      return TIFF;
    }
    if (b.length >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' && Character.isWhitespace(b[2])) {
      return PNM;
    }
    return null;
  }

  private static boolean startsWith(byte[] b, int... signature) {
    if (b.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((b[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
