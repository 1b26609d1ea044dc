package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The original's adjust_learning_rate (cosine branch), counted in optimiser steps. Expected values are
 * literals printed by a Python transcription of the original function (main_imagenet.py / main.py:
 * {@code max_steps = epochs·len}, {@code warmup_steps = 10·len}, {@code base_lr = batch/256}, end
 * {@code base_lr·0.001}, times the recipe's rate), not computed by the code under test.
 */
class WarmupCosineScheduleTest {
  private static final double REL = 1e-14;

  @Test
  void imagenetRecipeCountedFromZero() {
    // main_imagenet.py: batch 1024, 300 epochs, 1251 steps per epoch, weights 0.2, biases 0.0048
    ScheduleSpec spec = ScheduleSpec.warmupCosine(1251, 300, 10, 0);
    var weights = spec.forPeak(0.2 * 1024 / 256);
    var biases = spec.forPeak(0.0048 * 1024 / 256);
    assertEquals(0.0, weights.valueAt(0, 0));
    assertRel(6.39488409272582e-05, weights.valueAt(1, 0));
    assertRel(1.5347721822541967e-06, biases.valueAt(1, 0));
    // last warm-up step and the boundary
    assertRel(0.7999360511590727, weights.valueAt(12509, 0));
    assertRel(0.019198465227817745, biases.valueAt(12509, 0));
    assertRel(0.8, weights.valueAt(12510, 0));
    assertRel(0.0192, biases.valueAt(12510, 0));
    // mid-run (epoch 155) and the last step of epoch 300
    assertRel(0.4004, weights.valueAt(193905, 0));
    assertRel(0.009609599999999998, biases.valueAt(193905, 0));
    assertRel(0.0008000000149825169, weights.valueAt(375299, 0));
    assertRel(1.9200000359580403e-05, biases.valueAt(375299, 0));
  }

  @Test
  void smallDataRecipeCountsFromEpochOne() {
    // main.py (CIFAR-10): batch 256, 2000 epochs, 50000 // 256 = 195 steps, lr 0.01; its epochs start at 1,
    // so our step i is its step 195 + i: the first step already has a tenth of the peak, and the last
    // lies one epoch past the cosine's end, where it has turned up again.
    var lr = ScheduleSpec.warmupCosine(195, 2000, 10, 1).forPeak(0.01 * 256 / 256);
    assertRel(0.001, lr.valueAt(0, 0));
    assertRel(0.009994871794871794, lr.valueAt(9 * 195 - 1, 0));
    assertRel(0.01, lr.valueAt(9 * 195, 0));
    assertRel(0.005036542012087806, lr.valueAt(1000 * 195, 0));
    assertRel(1.0006160745058003e-05, lr.valueAt(2000 * 195 - 1, 0));
    assertTrue(lr.valueAt(2000 * 195 - 1, 0) > 0.01 * 0.001);
  }

  @Test
  void stepCountedScheduleOfTheOldConstructor() {
    WarmupCosineSchedule schedule = new WarmupCosineSchedule(0.005, 100, 1100);
    assertEquals(0.005 * 50 / 100, schedule.valueAt(50, 0), 1e-15);
    assertEquals(0.005, schedule.valueAt(100, 0), 1e-15);
    assertEquals(0.5 * 0.005 + 0.5 * 0.005 * 0.001, schedule.valueAt(600, 0), 1e-15);
    assertEquals(0.005 * 0.001, schedule.valueAt(1100, 0), 1e-15);
  }

  @Test
  void rejectsAWarmupAsLongAsTheRun() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1, 10, 10));
    assertEquals("Cannot build schedule: total steps 10 must exceed warm-up steps 10", e.getMessage());
  }

  @Test
  void survivesJson() throws Exception {
    var mapper = org.nd4j.shade.jackson.databind.json.JsonMapper.builder().build();
    WarmupCosineSchedule s = new WarmupCosineSchedule(0.8, 12510, 375300, 195);
    String json = mapper.writerFor(org.nd4j.linalg.schedule.ISchedule.class).writeValueAsString(s);
    assertEquals(s, mapper.readValue(json, org.nd4j.linalg.schedule.ISchedule.class));
  }

  static void assertRel(double expected, double actual) {
    assertEquals(expected, actual, REL * Math.abs(expected), () -> "expected " + expected + " got " + actual);
  }
}
