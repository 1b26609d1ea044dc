package org.mixbt.job.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.mixbt.core.augment.RgbRecipe;
import org.mixbt.core.augment.ViewAugmenter;
import org.mixbt.core.augment.ViewRandom;
import org.mixbt.core.augment.ViewRecipe;

/**
 * Single-thread throughput of the training views: images/s, one image = both of its views (what a step
 * needs per image). Inputs are random RGB images of each dataset's stored size (ImageNet: 500x375, a
 * typical photo). Prints numbers only; it asserts nothing. Besides wall-clock images/s it prints images
 * per CPU second of the benchmark thread, which stays meaningful on a machine shared with other work.
 * Usage: {@code AugmentationBenchmark [seconds per recipe, default 5]}.
 */
public final class AugmentationBenchmark {
  private AugmentationBenchmark() {
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    run("cifar", RgbRecipe.cifar(), 32, 32, seconds);
    run("stl10", RgbRecipe.stl10(), 96, 96, seconds);
    run("tiny-imagenet", RgbRecipe.tinyImageNet(), 64, 64, seconds);
    run("imagenet", RgbRecipe.imageNet(), 375, 500, seconds);
  }

  private static void run(String name, ViewRecipe recipe, int height, int width, double seconds) {
    SplittableRandom rng = new SplittableRandom(1);
    byte[][] images = new byte[16][height * width * 3];
    for (byte[] img : images) {
      for (int k = 0; k < img.length; k++) {
        img[k] = (byte) rng.nextInt(256);
      }
    }
    ViewAugmenter v1 = recipe.augmenter(0);
    ViewAugmenter v2 = recipe.augmenter(1);
    float[] out = new float[v1.outputLength()];
    long id = 0;
    // warm-up (JIT), then a timed run
    long end = System.nanoTime() + (long) (seconds * 0.3e9);
    while (System.nanoTime() < end) {
      pair(v1, v2, images[(int) (id % images.length)], height, width, id++, out);
    }
    long count = 0;
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    end = start + (long) (seconds * 1e9);
    long now;
    do {
      pair(v1, v2, images[(int) (id % images.length)], height, width, id++, out);
      count++;
      now = System.nanoTime();
    } while (now < end);
    double perSecond = count / ((now - start) / 1e9);
    double perCpuSecond = count / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    System.out.printf(Locale.ROOT, "%-14s %4dx%-4d -> %dx%d: %8.0f images/s wall, %8.0f images/s per CPU second"
        + " (one thread, 2 views each)%n", name, height, width, v1.outputHeight(), v1.outputWidth(), perSecond,
        perCpuSecond);
  }

  private static void pair(ViewAugmenter v1, ViewAugmenter v2, byte[] img, int h, int w, long id, float[] out) {
    v1.augment(img, h, w, ViewRandom.forView(0, 0, id, 0), out, 0);
    v2.augment(img, h, w, ViewRandom.forView(0, 0, id, 1), out, 0);
  }
}
