package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The step labels that travel with a batch: they must survive encoding, and any re-batching (Spark
 * merging two steps, or splitting one) must be caught, since it silently breaks the view pairing.
 */
class StepLabelsTest {
  private static final int[] PERMUTATION = {5, 2, 7, 0, 3, 6, 1, 4};

  @Test
  void roundTripsThroughTheLabelArray() {
    StepLabels labels = new StepLabels(0.375, PERMUTATION, 1234);

    INDArray array = labels.toArray();
    StepLabels back = StepLabels.fromArray(array);

    assertArrayEquals(new long[] {8, 4}, array.shape());
    assertEquals(DataType.FLOAT, array.dataType());
    assertEquals(0.375, back.alpha());
    assertArrayEquals(PERMUTATION, back.permutation());
    assertEquals(1234, back.step());
  }

  @Test
  void alphaIsCarriedInFloatPrecision() {
    double alpha = 0.5653054507688756;

    StepLabels back = StepLabels.fromArray(new StepLabels(alpha, PERMUTATION, 1).toArray());

    assertEquals((float) alpha, back.alpha());
  }

  @Test
  void largestExactStepRoundTrips() {
    long step = (1 << 24) - 1;

    assertEquals(step, StepLabels.fromArray(new StepLabels(0.5, PERMUTATION, step).toArray()).step());
  }

  @Test
  void roundTripsFromDoubleLabels() {
    INDArray doubles = new StepLabels(0.25, PERMUTATION, 9).toArray().castTo(DataType.DOUBLE);

    StepLabels back = StepLabels.fromArray(doubles);

    assertArrayEquals(PERMUTATION, back.permutation());
    assertEquals(9, back.step());
  }

  @Test
  void permutationIsCopied() {
    int[] p = PERMUTATION.clone();
    StepLabels labels = new StepLabels(0.5, p, 1);
    p[0] = 99;
    labels.permutation()[1] = 99;

    assertArrayEquals(PERMUTATION, labels.permutation());
  }

  @Test
  void rejectsTwoStepsMergedIntoOneBatch() {
    MultiDataSet merged = MultiDataSet.merge(List.of(batch(0.3, PERMUTATION, 10), batch(0.7, PERMUTATION, 11)));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StepLabels.fromArray(merged.getLabels(0)));

    assertTrue(e.getMessage().startsWith("Cannot compute the mixed loss: view pairing broken: row 8 carries"),
        e.getMessage());
    assertTrue(e.getMessage().contains("step 11"), e.getMessage());
  }

  @Test
  void rejectsTwoStepsWithTheSameAlphaMerged() {
    MultiDataSet merged = MultiDataSet.merge(List.of(batch(0.3, PERMUTATION, 10), batch(0.3, PERMUTATION, 11)));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StepLabels.fromArray(merged.getLabels(0)));

    assertTrue(e.getMessage().contains("view pairing broken: row 8 carries (alpha 0.3"), e.getMessage());
  }

  @Test
  void rejectsABatchMergedWithItself() {
    MultiDataSet merged = MultiDataSet.merge(List.of(batch(0.3, PERMUTATION, 10), batch(0.3, PERMUTATION, 10)));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StepLabels.fromArray(merged.getLabels(0)));

    assertEquals("Cannot compute the mixed loss: view pairing broken at step 10: batch has 16 rows but the step"
        + " drew 8; was the batch re-batched by Spark?", e.getMessage());
  }

  @Test
  void rejectsHalfABatch() {
    INDArray full = new StepLabels(0.3, PERMUTATION, 10).toArray();
    INDArray firstHalf = full.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all());
    INDArray secondHalf = full.get(NDArrayIndex.interval(4, 8), NDArrayIndex.all());

    IllegalStateException first = assertThrows(IllegalStateException.class, () -> StepLabels.fromArray(firstHalf));
    IllegalStateException second = assertThrows(IllegalStateException.class, () -> StepLabels.fromArray(secondHalf));

    assertEquals("Cannot compute the mixed loss: view pairing broken at step 10: batch has 4 rows but the step"
        + " drew 8; was the batch re-batched by Spark?", first.getMessage());
    assertEquals(first.getMessage(), second.getMessage());
  }

  @Test
  void rejectsARepeatedPermutationEntry() {
    INDArray labels = new StepLabels(0.3, PERMUTATION, 10).toArray();
    labels.putScalar(new long[] {3, 1}, labels.getFloat(0, 1));

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepLabels.fromArray(labels));

    assertTrue(e.getMessage().startsWith("Cannot compute the mixed loss: view pairing broken at step 10: "
        + "permutation entry " + PERMUTATION[0] + " at row 3 is not a permutation of 0..7"), e.getMessage());
  }

  @Test
  void rejectsAWrongShapeNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StepLabels.fromArray(Nd4j.zeros(DataType.FLOAT, 8, 2)));

    assertEquals("Cannot read step labels: expected [N, 4] (alpha, perm, step, N), got [8, 2]", e.getMessage());
  }

  private static MultiDataSet batch(double alpha, int[] permutation, long step) {
    INDArray x = Nd4j.rand(DataType.FLOAT, permutation.length, 4);
    return new MultiDataSet(new INDArray[] {x, x.dup(), x.dup()},
        new INDArray[] {new StepLabels(alpha, permutation, step).toArray()});
  }
}
