package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * main_imagenet.py's mix weight: {@code adjust_mixup_scale} ({@code lambda_mixup · step / (10 · len)} during
 * the first 10 epochs, then {@code lambda_mixup}) times the ½ in {@code lossm}; main.py's constant
 * {@code mixup_loss_scale}. Expected values written out by hand.
 */
class MixScaleScheduleTest {
  @Test
  void imagenetWarmsUpOverTenEpochs() {
    // 1251 steps per epoch, lambda_mixup 1.0: warm-up 12510 steps
    MixScaleSchedule s = new MixScaleSchedule(1.0, LossVariant.IMAGENET, 12510);
    assertEquals(0.0, s.at(0));
    assertEquals(0.5 * 6255 / 12510, s.at(6255), 1e-16);
    assertEquals(0.25, s.at(6255), 1e-16);
    assertEquals(0.5 * 12509 / 12510, s.at(12509), 1e-16);
    assertEquals(0.5, s.at(12510));
    assertEquals(0.5, s.at(375299));
  }

  @Test
  void smallDataIsConstant() {
    MixScaleSchedule s = new MixScaleSchedule(4.0, LossVariant.SMALL_DATA, 0);
    assertEquals(4.0, s.at(0));
    assertEquals(4.0, s.at(1_000_000));
  }

  @Test
  void rejectsNegativeScale() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MixScaleSchedule(-1, LossVariant.SMALL_DATA, 0));
    assertEquals("Cannot weigh the mix term: scale must be finite and >= 0: -1.0", e.getMessage());
  }
}
