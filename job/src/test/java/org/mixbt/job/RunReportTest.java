package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mixbt.core.eval.KnnResult;
import org.mixbt.core.eval.WeightedKnn;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The closing lines name the starting encoder as the start-of-run line does. */
class RunReportTest {
  /** A real kNN result: two of three queries right (query 3 sits on the other class's bank row). */
  private static final KnnResult KNN = new WeightedKnn(2, 0.5, 2).evaluate(
      Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}}), new int[] {0, 1},
      Nd4j.createFromArray(new float[][] {{1, 0.1f}, {0.1f, 1}, {0, 1}}), new int[] {0, 1, 0});

  @Test
  void randomStartIsTheUntrainedEncoder() {
    assertEquals(List.of("", "=== mixbt run finished ===",
        "trained encoder   kNN top-1 66.67%  top-5 100.00%  (3 test images)",
        "untrained encoder kNN top-1 66.67%  top-5 100.00%  (3 test images)",
        "checkpoints: /runs/a"), print(null));
  }

  @Test
  void initFromIsTheInitialEncoderWithItsFile() {
    assertEquals(List.of("", "=== mixbt run finished ===",
        "trained encoder                    kNN top-1 66.67%  top-5 100.00%  (3 test images)",
        "initial encoder (hdfs:///m/bt.pth) kNN top-1 66.67%  top-5 100.00%  (3 test images)",
        "checkpoints: /runs/a"), print("hdfs:///m/bt.pth"));
  }

  private static List<String> print(String initFrom) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunReport.print(new Pretraining.Result(List.of(), KNN, initFrom, KNN, "/runs/a", null),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
