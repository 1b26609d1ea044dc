package org.mixbt.core.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  @Test
  void pngIsPixelExact() {
    BufferedImage img = ImageFixtures.rgb(13, 17, 1);
    DecodedImage d = ImageDecoder.decode(ImageFixtures.encode(img, "png"), "a.png");
    assertEquals("png", d.format());
    assertEquals(13, d.height());
    assertEquals(17, d.width());
    assertArrayEquals(ImageFixtures.pixels(img), d.pixels());
  }

  @Test
  void greyIsCopiedToThreeChannelsWithoutGammaConversion() {
    // BufferedImage.getRGB would map linear grey to sRGB (128 -> 186); PIL copies the value.
    BufferedImage img = ImageFixtures.grey(9, 11, 2);
    DecodedImage d = ImageDecoder.decode(ImageFixtures.encode(img, "png"), "g.png");
    assertArrayEquals(ImageFixtures.pixels(img), d.pixels());
    DecodedImage j = ImageDecoder.decode(ImageFixtures.encode(img, "jpeg"), "g.jpg");
    assertEquals("jpeg", j.format());
    byte[] greyJpeg = jdkRaster(ImageFixtures.encode(img, "jpeg"));
    for (int i = 0; i < greyJpeg.length; i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(greyJpeg[i], j.pixels()[i * 3 + c], "pixel " + i + " channel " + c);
      }
    }
  }

  @Test
  void jpegEqualsTheJdkReadersSamples() throws IOException {
    byte[] jpeg = ImageFixtures.encode(ImageFixtures.rgb(24, 31, 3), "jpeg");
    BufferedImage ref = ImageIO.read(new ByteArrayInputStream(jpeg));
    DecodedImage d = ImageDecoder.decode(jpeg, "x.jpg");
    assertArrayEquals(ImageFixtures.pixels(ref), d.pixels());
  }

  @Test
  void paletteIsLookedUp() {
    BufferedImage img = ImageFixtures.palette(5, 6);
    DecodedImage d = ImageDecoder.decode(ImageFixtures.encode(img, "png"), "p.png");
    assertEquals(17, d.pixels()[3 * 3] & 0xFF, "(0,3) has index 3: red 17");
    assertEquals(240, d.pixels()[3 * 3 + 2] & 0xFF);
    assertEquals(200, d.pixels()[3 + 1] & 0xFF, "(0,1) has index 1: green 200");
  }

  @Test
  void alphaIsDroppedNotComposited() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00_C8_64_32); // fully transparent: PIL's convert("RGB") keeps 200,100,50
    img.setRGB(1, 0, 0x80_0A_14_1E);
    DecodedImage d = ImageDecoder.decode(ImageFixtures.encode(img, "png"), "a.png");
    assertArrayEquals(new byte[] {(byte) 200, 100, 50, 10, 20, 30}, d.pixels());
  }

  @Test
  void sixteenBitKeepsTheHighByte() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 0xABCD);
    img.getRaster().setSample(1, 0, 0, 0x0102);
    DecodedImage d = ImageDecoder.decode(ImageFixtures.encode(img, "png"), "s.png");
    assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xAB, (byte) 0xAB, 1, 1, 1}, d.pixels());
  }

  @Test
  void ppmIsPixelExact() {
    BufferedImage img = ImageFixtures.rgb(11, 7, 2);
    DecodedImage d = ImageDecoder.decode(ImageFixtures.ppm(img), "00000_00000.ppm");
    assertEquals("pnm", d.format());
    assertEquals(11, d.height());
    assertEquals(7, d.width());
    assertArrayEquals(ImageFixtures.pixels(img), d.pixels());
    // Plain (ASCII) PPM with a comment, and a raw PGM: the other Netpbm variants torchvision's loader reads.
    byte[] plain = "P3\n# made by hand\n2 1\n255\n1 2 3  250 251 252\n".getBytes();
    assertArrayEquals(new byte[] {1, 2, 3, (byte) 250, (byte) 251, (byte) 252}, ImageDecoder.decode(plain, "p.ppm").pixels());
    byte[] pgm = {'P', '5', '\n', '2', ' ', '1', '\n', '2', '5', '5', '\n', 9, (byte) 200};
    assertArrayEquals(new byte[] {9, 9, 9, (byte) 200, (byte) 200, (byte) 200}, ImageDecoder.decode(pgm, "g.pgm").pixels());
  }

  @Test
  void truncatedPpmIsANamedError() {
    byte[] ppm = ImageFixtures.ppm(ImageFixtures.rgb(10, 10, 3));
    ImageDecodeException e = assertThrows(ImageDecodeException.class,
        () -> ImageDecoder.decode(Arrays.copyOf(ppm, ppm.length - 40), "cut.ppm"));
    assertTrue(e.getMessage().startsWith("Cannot decode cut.ppm: unreadable pnm: "), e.getMessage());
  }

  @Test
  void formatComesFromTheBytes() {
    byte[] png = ImageFixtures.encode(ImageFixtures.rgb(4, 4, 5), "png");
    assertEquals("png", ImageDecoder.decode(png, "n02105855_2933.JPEG").format());
    assertEquals("bmp", ImageDecoder.decode(ImageFixtures.encode(ImageFixtures.rgb(4, 4, 5), "bmp"), "x").format());
    assertEquals("gif", ImageFormats.detect("GIF89a".getBytes()));
    assertNull(ImageFormats.detect(new byte[] {1, 2}));
  }

  /** A 4-component Adobe JPEG (CMYK), as some ImageNet files are: the JDK reader refuses it, TwelveMonkeys reads it. */
  @Test
  void cmykJpegIsRead() throws IOException {
    WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        cmyk.setPixel(x, y, new int[] {x * 16, y * 16, 0, 0});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    }
    DecodedImage d = ImageDecoder.decode(bytes.toByteArray(), "cmyk.JPEG");
    assertEquals(16, d.height());
    assertEquals(16, d.width());
    // Whatever the colour conversion, a cyan ramp along x and magenta along y give distinct corners.
    assertTrue(!Arrays.equals(Arrays.copyOfRange(d.pixels(), 0, 3),
        Arrays.copyOfRange(d.pixels(), d.pixels().length - 3, d.pixels().length)));
  }

  @Test
  void corruptTruncatedAndUnknownFilesAreNamedErrors() {
    ImageDecodeException corrupt = assertThrows(ImageDecodeException.class,
        () -> ImageDecoder.decode(ImageFixtures.corruptJpeg(7), "cls/bad.jpg"));
    assertTrue(corrupt.getMessage().startsWith("Cannot decode cls/bad.jpg: "), corrupt.getMessage());
    byte[] jpeg = ImageFixtures.encode(ImageFixtures.rgb(64, 64, 8), "jpeg");
    ImageDecodeException truncated = assertThrows(ImageDecodeException.class,
        () -> ImageDecoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2), "half.jpg"));
    assertTrue(truncated.getMessage().startsWith("Cannot decode half.jpg: unreadable jpeg: "), truncated.getMessage());
    assertTrue(truncated.reason().contains("truncated: "), truncated.reason());
    ImageDecodeException unknown = assertThrows(ImageDecodeException.class,
        () -> ImageDecoder.decode("hello".getBytes(), "notes.png"));
    assertEquals("Cannot decode notes.png: unknown image format: first bytes 68656c6c6f", unknown.getMessage());
    assertEquals("Cannot decode empty.png: unknown image format: first bytes (empty file)",
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(new byte[0], "empty.png")).getMessage());
  }

  @Test
  void resizedJpegReencodesAsJpegAndPngAsPng() {
    DecodedImage jpeg = new DecodedImage("jpeg", 8, 8, ImageFixtures.pixels(ImageFixtures.rgb(8, 8, 1)));
    assertEquals("jpeg", ImageDecoder.decode(ImageEncoder.encode(jpeg), "r").format());
    DecodedImage png = new DecodedImage("png", 8, 8, jpeg.pixels());
    DecodedImage back = ImageDecoder.decode(ImageEncoder.encode(png), "r");
    assertEquals("png", back.format());
    assertArrayEquals(png.pixels(), back.pixels());
    assertArrayEquals(ImageEncoder.encode(jpeg), ImageEncoder.encode(jpeg), "deterministic");
  }

  /** The JDK reader's raw single-band samples. */
  private static byte[] jdkRaster(byte[] jpeg) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      ImageReader r = null;
      for (var it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
        ImageReader c = it.next();
        if (c.getClass().getName().startsWith("com.sun.")) {
          r = c;
        }
      }
      r.setInput(in);
      Raster raster = r.read(0).getRaster();
      byte[] out = new byte[raster.getWidth() * raster.getHeight()];
      raster.getDataElements(0, 0, raster.getWidth(), raster.getHeight(), out);
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
