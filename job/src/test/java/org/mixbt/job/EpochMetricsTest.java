package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.StepTerms;

/** The epoch's JSON line: loss means, the scheduled rate at its last step, throughput, per-step terms. */
class EpochMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cosineRateAtTheLastStepAndPerStepTermsInStepOrder() throws Exception {
    // 10 epochs of 4 steps, 2 warm-up epochs, Adam 0.01 x batch/256 scaling: global batch 2 x 64 = 128.
    JobSettings settings = JobSettings.load(null, List.of("mixbt.training.epochs = 10",
        "mixbt.training.batch-size = 64", "mixbt.optimizer.learning-rate = 0.01", "mixbt.optimizer.scale-by-batch = true",
        "mixbt.schedule.type = cosine-warmup", "mixbt.schedule.warmup-epochs = 2", "mixbt.schedule.first-epoch = 0"));
    EpochMetrics.Run run = EpochMetrics.Run.of(settings, 4, 2);
    // Epoch 4 (steps 12..15), delivered out of order as the accumulator does; step 14 skipped as degenerate.
    List<StepTerms> steps = List.of(new StepTerms(13, 3.0, 1.0, false, null), new StepTerms(12, 5.0, 2.0, false, null),
        new StepTerms(15, 1.0, 0.5, false, null), new StepTerms(14, 0, 0, true, "constant column 3"));
    JsonNode line = JSON.readTree(new EpochMetrics(4, steps, run, 2.0).toJson());

    assertEquals(3.0, line.get("loss_bt").asDouble(), 1e-12);
    assertEquals(3.5 / 3, line.get("loss_mix").asDouble(), 1e-12);
    assertEquals(1, line.get("skipped_steps").asInt());
    // main.py's adjust_learning_rate at step 15: peak 0.01 x 128/256, warm-up 8 steps of 40.
    double peak = 0.01 * 128 / 256;
    double q = 0.5 * (1 + Math.cos(Math.PI * (15 - 8) / 32.0));
    assertEquals(peak * q + peak * 0.001 * (1 - q), line.get("lr").asDouble(), 1e-15);
    assertFalse(line.has("lr_bias"), "Adam has one rate");
    assertEquals(4 * 64 / 2.0, line.get("images_per_s").asDouble(), 1e-9);
    assertEquals(4 * 64 / 2.0 / 2, line.get("images_per_s_per_worker").asDouble(), 1e-9);
    assertEquals(2, line.get("workers").asInt());
    assertEquals(12, line.get("first_step").asLong());
    assertEquals("[5.0,3.0,null,1.0]", line.get("step_loss_bt").toString());
    assertEquals("[2.0,1.0,null,0.5]", line.get("step_loss_mix").toString());
    assertTrue(line.get("wall_s").asDouble() > 0);
  }

  @Test
  void larsReportsTheRateOfBiasesToo() throws Exception {
    JobSettings settings = JobSettings.load(null, List.of("mixbt.training.epochs = 2", "mixbt.training.batch-size = 8",
        "mixbt.optimizer.type = lars", "mixbt.optimizer.learning-rate = 0.2", "mixbt.optimizer.lars.bias-learning-rate = 0.0048",
        "mixbt.optimizer.scale-by-batch = false", "mixbt.schedule.type = constant"));
    JsonNode line = JSON.readTree(new EpochMetrics(1, List.of(new StepTerms(0, 2.0, 1.0, false, null)),
        EpochMetrics.Run.of(settings, 1, 1), 1.0).toJson());
    assertEquals(0.2, line.get("lr").asDouble(), 1e-15);
    assertEquals(0.0048, line.get("lr_bias").asDouble(), 1e-15);
  }
}
