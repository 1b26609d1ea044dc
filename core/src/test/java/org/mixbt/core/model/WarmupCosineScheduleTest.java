package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The original's adjust_learning_rate (cosine branch) at its boundaries, in steps. */
class WarmupCosineScheduleTest {
  private final WarmupCosineSchedule schedule = new WarmupCosineSchedule(0.005, 100, 1100);

  @Test
  void warmsUpLinearlyFromZero() {
    assertEquals(0.0, schedule.valueAt(0, 0));
    assertEquals(0.005 * 50 / 100, schedule.valueAt(50, 0), 1e-15);
    assertEquals(0.005 * 99 / 100, schedule.valueAt(99, 0), 1e-15);
  }

  @Test
  void cosineFromPeakAtTheWarmupBoundaryToAThousandthAtTheEnd() {
    assertEquals(0.005, schedule.valueAt(100, 0), 1e-15);
    // Halfway through the cosine: q = 1/2, lr = (peak + peak/1000) / 2.
    assertEquals(0.5 * 0.005 + 0.5 * 0.005 * 0.001, schedule.valueAt(600, 0), 1e-15);
    assertEquals(0.005 * 0.001, schedule.valueAt(1100, 0), 1e-15);
    double q = 0.5 * (1 + Math.cos(Math.PI * 999 / 1000.0));
    assertEquals(0.005 * q + 0.005 * 0.001 * (1 - q), schedule.valueAt(1099, 0), 1e-15);
    assertTrue(schedule.valueAt(700, 0) < schedule.valueAt(600, 0));
  }

  @Test
  void rejectsAWarmupAsLongAsTheRun() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1, 10, 10));
    assertEquals("Cannot build schedule: total steps 10 must exceed warm-up steps 10", e.getMessage());
  }
}
