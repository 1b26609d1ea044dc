package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mixbt.core.model.WarmupCosineScheduleTest.assertRel;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MultiStepLR as the original steps it (after every epoch), evaluated per optimiser step. Expected values
 * are written out by hand from {@code lr = base · gamma^(milestones passed)}.
 */
class StepDecayScheduleTest {
  @Test
  void transferRecipeDropsTenfoldAtEpochs60And80() {
    // evaluate_transfer.py: SGD lr 0.01, MultiStepLR([60, 80], 0.1); here 10 steps per epoch
    var lr = ScheduleSpec.step(10, List.of(60, 80), 0.1).forPeak(0.01);
    assertRel(0.01, lr.valueAt(0, 0));
    assertRel(0.01, lr.valueAt(599, 0));
    assertRel(0.001, lr.valueAt(600, 0));
    assertRel(0.001, lr.valueAt(799, 0));
    assertRel(0.0001, lr.valueAt(800, 0));
    assertRel(0.0001, lr.valueAt(999, 0));
  }

  @Test
  void mainPyStepOption() {
    // main.py --lr_shed step: MultiStepLR([epochs - 50, epochs - 25], gamma 0.2), 2000 epochs of 195 steps
    var lr = ScheduleSpec.step(195, List.of(1950, 1975), 0.2).forPeak(0.001);
    assertRel(0.001, lr.valueAt(1950 * 195 - 1, 0));
    assertRel(0.0002, lr.valueAt(1950 * 195, 0));
    assertRel(0.00004, lr.valueAt(1975 * 195, 0));
    assertRel(0.00004, lr.valueAt(2000 * 195 - 1, 0));
  }

  @Test
  void rejectsMilestonesOutOfOrder() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StepDecaySchedule(0.1, 10, new int[] {80, 60}, 0.1));
    assertEquals("Cannot build step schedule: milestones must be ascending epochs >= 0: [80, 60]", e.getMessage());
  }
}
