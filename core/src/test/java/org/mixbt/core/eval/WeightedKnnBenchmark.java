package org.mixbt.core.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Times {@link WeightedKnn#evaluate} at monitor scale (default M=60000 bank rows, Q=10000 queries, D=128,
 * k=200, float32 random features). A main, not a test: surefire's name patterns do not pick it up.
 *
 * <p>Args (all optional): M Q D k chunkRows.
 */
public final class WeightedKnnBenchmark {
  private WeightedKnnBenchmark() {
  }

  public static void main(String[] args) {
    int m = arg(args, 0, 60_000);
    int q = arg(args, 1, 10_000);
    int d = arg(args, 2, 128);
    int k = arg(args, 3, WeightedKnn.DEFAULT_K);
    int chunk = arg(args, 4, WeightedKnn.DEFAULT_CHUNK_ROWS);
    int classes = 10;
    Nd4j.getRandom().setSeed(42);
    INDArray bank = Nd4j.randn(DataType.FLOAT, m, d);
    INDArray queries = Nd4j.randn(DataType.FLOAT, q, d);
    SplittableRandom rnd = new SplittableRandom(42);
    int[] bankLabels = rnd.ints(m, 0, classes).toArray();
    int[] queryLabels = rnd.ints(q, 0, classes).toArray();
    WeightedKnn knn = new WeightedKnn(k, WeightedKnn.DEFAULT_TEMPERATURE, classes).withChunkRows(chunk);
    // Warm-up on a slice so JIT and native-library start-up stay out of the timing.
    knn.evaluate(bank, bankLabels, queries.get(NDArrayIndex.interval(0, chunk),
        NDArrayIndex.all()), Arrays.copyOf(queryLabels, chunk));
    long start = System.nanoTime();
    KnnResult result = knn.evaluate(bank, bankLabels, queries, queryLabels);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "WeightedKnn M=%d Q=%d D=%d k=%d chunk=%d threads(OMP)=%s: %.2f s (%s)%n",
        m, q, d, k, chunk, System.getenv("OMP_NUM_THREADS"), seconds, result);
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
