package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mixbt.core.stats.CollapseThresholds;

/** The {@code mixbt.statistics} section: defaults, range checks naming the key, and when the pass is due. */
class StatisticsSettingsTest {

  @Test
  void referenceDefaults() {
    assertEquals(new StatisticsSettings(true, 1, 16, true, List.of("view1", "view2", "mixed"), 2048, new CollapseThresholds(1e-4, 0.25, 0.0025, 0.1)),
        JobSettings.load(null, List.of()).statistics);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "mixbt.statistics.batches            | 0     | Cannot use mixbt.statistics.batches = 0: must be >= 1",
      "mixbt.statistics.every-epochs       | 0     | Cannot use mixbt.statistics.every-epochs = 0: must be >= 1",
      "mixbt.statistics.max-covariance-dim | -1    | Cannot use mixbt.statistics.max-covariance-dim = -1: must be >= 0",
      "mixbt.statistics.warn-rank-fraction | 1.5   | Cannot use mixbt.statistics.warn-rank-fraction = 1.5: must be a probability in [0, 1]",
      "mixbt.statistics.low-std            | -1    | Cannot use mixbt.statistics.low-std = -1.0: must be a finite number >= 0",
      "mixbt.statistics.batch-norm-views   | [view1, view1] | Cannot use mixbt.statistics.batch-norm-views = [view1, view1]: must be a non-empty list of distinct values from [view1, view2, mixed]",
      "mixbt.statistics.batch-norm-views   | [view3] | Cannot use mixbt.statistics.batch-norm-views = [view3]: must be a non-empty list of distinct values from [view1, view2, mixed]",
      "mixbt.statistics.batch-norm-views   | []    | Cannot use mixbt.statistics.batch-norm-views = []: must be a non-empty list",
      "mixbt.statistics.enabled            | maybe | Cannot use mixbt.statistics.enabled: String: 1: enabled has type STRING rather than BOOLEAN",
  })
  void outOfRangeValueNamesKeyAndValue(String key, String value, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> JobSettings.load(null, List.of(key + " = " + value)));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }

  @Test
  void dueEveryNthEpochAndAfterTheLast() {
    StatisticsSettings every3 = JobSettings.load(null, List.of("mixbt.statistics.every-epochs = 3")).statistics;
    boolean[] due = new boolean[7];
    for (int e = 0; e < 7; e++) {
      due[e] = every3.due(e, 7);
    }
    assertEquals("[false, false, true, false, false, true, true]", java.util.Arrays.toString(due));
    assertFalse(JobSettings.load(null, List.of("mixbt.statistics.enabled = false")).statistics.due(6, 7));
  }
}
