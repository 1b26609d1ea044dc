package org.mixbt.prep.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An ImageFolder tree ({@code <root>/<class>/<file>.JPEG}) of synthetic photos for benchmarks: sizes drawn
 * uniformly per side from [minSide, maxSide], content a smooth colour field plus per-pixel noise so that
 * JPEG sizes are photo-like (tens of kB per image rather than a few for flat images). Deterministic per
 * seed; written to a temporary folder and renamed, so a finished tree is never partial.
 */
final class JpegTreeGenerator {
  private final int images;
  private final int classes;
  private final int minSide;
  private final int maxSide;
  private final long seed;

  JpegTreeGenerator(int images, int classes, int minSide, int maxSide, long seed) {
    if (images < 1 || classes < 1 || minSide < 8 || maxSide < minSide) {
      throw new IllegalArgumentException("Cannot generate JPEG tree: bad settings: " + images + " images, "
          + classes + " classes, sides " + minSide + ".." + maxSide);
    }
    this.images = images;
    this.classes = classes;
    this.minSide = minSide;
    this.maxSide = maxSide;
    this.seed = seed;
  }

  /** Folder name that identifies the settings, so a tree is generated once and reused. */
  String name() {
    return "imagefolder-" + images + "x" + minSide + "-" + maxSide + "-c" + classes + "-s" + seed;
  }

  /** The tree under {@code parent}, generated unless it already exists; returns its root. */
  Path generate(Path parent) throws IOException {
    Path root = parent.resolve(name());
    if (Files.isDirectory(root)) {
      return root;
    }
    Path tmp = parent.resolve(name() + "._tmp");
    deleteTree(tmp);
    for (int c = 0; c < classes; c++) {
      Files.createDirectories(tmp.resolve(className(c)));
    }
    ImageIO.setUseCache(false);
    IntStream.range(0, images).parallel().forEach(i -> {
      Path file = tmp.resolve(className(i % classes)).resolve(String.format("img_%08d.JPEG", i));
      try {
        if (!ImageIO.write(image(new SplittableRandom(seed * 1_000_003L + i)), "jpeg", file.toFile())) {
          throw new IOException("no JPEG writer");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
      }
    });
    Files.move(tmp, root);
    return root;
  }

  private static String className(int c) {
    return String.format("n%08d", c);
  }

  private BufferedImage image(SplittableRandom rnd) {
    int w = rnd.nextInt(minSide, maxSide + 1);
    int h = rnd.nextInt(minSide, maxSide + 1);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double[] base = {rnd.nextDouble(255), rnd.nextDouble(255), rnd.nextDouble(255)};
    double[] dx = {rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1)};
    double[] dy = {rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1)};
    double freq = rnd.nextDouble(0.01, 0.08);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double wave = 40 * Math.sin(freq * (x + 2 * y));
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double v = base[c] + dx[c] * x * 0.5 + dy[c] * y * 0.5 + wave + rnd.nextInt(-24, 25);
          rgb = rgb << 8 | (int) Math.max(0, Math.min(255, v));
        }
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }

  /** Every regular file under {@code root}, sorted. */
  static List<Path> files(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
  }
}
