package org.mixbt.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixbt.core.augment.RgbRecipe;
import org.mixbt.core.augment.RgbViewAugmenter;
import org.mixbt.core.augment.RgbViewSettings;
import org.mixbt.core.augment.ViewAugmenter;
import org.mixbt.core.augment.ViewRandom;
import org.mixbt.core.data.ImageRecord;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Views in a batch: each view from its own recipe and stream, whatever the batch the record lands in. */
class ViewBatchAssemblerTest {
  private static final long SEED = 99;

  /** ImageNet's two recipes at 24 pixels (blur always on view 1, solarise only on view 2). */
  private static RgbViewSettings imageNetSmall(int view) {
    RgbViewSettings s = RgbViewSettings.imageNet(view);
    return new RgbViewSettings(s.order(), 24, s.scaleMin(), s.scaleMax(), s.ratioMin(), s.ratioMax(),
        s.interpolation(), s.flipProbability(), s.jitterProbability(), s.brightness(), s.contrast(),
        s.saturation(), s.hue(), s.grayscaleProbability(), s.blurProbability(), s.blurSigmaMin(),
        s.blurSigmaMax(), s.solarizeProbability(), s.mean(), s.std());
  }

  private static List<ImageRecord> records(int n) {
    SplittableRandom rng = new SplittableRandom(5);
    List<ImageRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[30 * 40 * 3];
      for (int k = 0; k < px.length; k++) {
        px[k] = (byte) rng.nextInt(256);
      }
      out.add(new ImageRecord(100 + i, i % 3, px, 30, 40, 3));
    }
    return out;
  }

  private static float[] row(MultiDataSet batch, int input, int row) {
    INDArray x = batch.getFeatures(input);
    return x.reshape(x.size(0), -1).getRow(row).dup().data().asFloat();
  }

  @Test
  void eachViewComesFromItsOwnRecipeAndStream() {
    ViewAugmenter v1 = new RgbViewAugmenter(imageNetSmall(0));
    ViewAugmenter v2 = new RgbViewAugmenter(imageNetSmall(1));
    List<ImageRecord> recs = records(4);
    MultiDataSet batch = new ViewBatchAssembler(v1, v2, true, SEED).assemble(3, 7, recs);
    for (int i = 0; i < recs.size(); i++) {
      ImageRecord r = recs.get(i);
      assertArrayEquals(v1.augment(r.pixels(), 30, 40, ViewRandom.forView(SEED, 3, r.id(), 0)), row(batch, 0, i));
      assertArrayEquals(v2.augment(r.pixels(), 30, 40, ViewRandom.forView(SEED, 3, r.id(), 1)), row(batch, 1, i));
      // the other recipe on the same stream gives another view: the pair really is asymmetric
      assertFalse(Arrays.equals(v2.augment(r.pixels(), 30, 40, ViewRandom.forView(SEED, 3, r.id(), 0)),
          row(batch, 0, i)));
    }
  }

  /** A record's views do not depend on its batch, position or partner records (any executor layout). */
  @Test
  void viewsDoNotDependOnBatchComposition() {
    ViewBatchAssembler a = ViewBatchAssembler.of(new RgbRecipe("small", imageNetSmall(0), imageNetSmall(1),
        new org.mixbt.core.augment.RgbEvalSettings(0, org.mixbt.core.augment.PilFilter.BILINEAR, 0, 24,
            imageNetSmall(0).mean(), imageNetSmall(0).std())), false, SEED);
    List<ImageRecord> recs = records(5);
    MultiDataSet whole = a.assemble(1, 0, recs);
    List<ImageRecord> other = List.of(recs.get(4), recs.get(2));
    MultiDataSet part = a.assemble(1, 9, other);
    for (int view = 0; view < 2; view++) {
      assertArrayEquals(row(whole, view, 4), row(part, view, 0));
      assertArrayEquals(row(whole, view, 2), row(part, view, 1));
    }
  }

  @Test
  void viewsOfDifferentShapesAreRefused() {
    RgbViewSettings big = RgbViewSettings.imageNet(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewBatchAssembler(
        new RgbViewAugmenter(imageNetSmall(0)), new RgbViewAugmenter(big), true, SEED));
    assertEquals("Cannot pair views of different shapes: 3x24x24 and 3x224x224", e.getMessage());
  }
}
