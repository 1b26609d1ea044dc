package org.mixbt.core.eval;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The weighted kNN monitor of the original {@code main.py test()}.
 *
 * <p>For each query q and bank row b (both L2-normalised here, as {@code F.normalize}: x / max(‖x‖, 1e-12),
 * so callers may pass raw encoder features): {@code sim = <q, b>}; keep the k most similar bank rows;
 * {@code weight = exp(sim / T)}; {@code score[c] = Σ weight} over kept rows labelled c; classes are ranked by
 * score. Top-1 hits when the best class is the label, top-5 when the label is among the best
 * {@link #topN()} = min(5, classes) (with fewer than five classes "top-5" means "top-all", always 100%).
 *
 * <p>Ties, which the original leaves to {@code torch.topk}/{@code argsort} (PyTorch-CPU differs from any
 * stable rule, see the {@code knn_sim_ties} golden file): neighbours are ordered by similarity descending,
 * then bank index ascending, so an exact tie at the k-th place keeps the lower bank index; classes are
 * ordered by score descending, then class index ascending (zero-score classes thus fill top-5 in index
 * order). Weights are summed in that neighbour order, in float64.
 *
 * <p>Cost: queries are processed in chunks of {@link #DEFAULT_CHUNK_ROWS} rows; the [chunk, M] similarity
 * block is the only large allocation (chunk 256 × M 60 000 × 4 bytes ≈ 61 MB in float32), one GEMM per
 * chunk. Computation is in float64 when either input is float64, otherwise float32.
 */
public final class WeightedKnn {
  public static final int DEFAULT_K = 200;
  public static final double DEFAULT_TEMPERATURE = 0.5;
  public static final int DEFAULT_CHUNK_ROWS = 256;
  private static final int TOP_N = 5;
  private static final double NORM_EPS = 1e-12;

  private final int k;
  private final double temperature;
  private final int numClasses;
  private final int chunkRows;

  /** A monitor with {@link #DEFAULT_CHUNK_ROWS} query rows per similarity block. */
  public WeightedKnn(int k, double temperature, int numClasses) {
    this(k, temperature, numClasses, DEFAULT_CHUNK_ROWS);
  }

  private WeightedKnn(int k, double temperature, int numClasses, int chunkRows) {
    require(k >= 1, "Cannot create kNN monitor: k must be at least 1: " + k);
    require(temperature > 0 && Double.isFinite(temperature),
        "Cannot create kNN monitor: temperature must be positive and finite: " + temperature);
    require(numClasses >= 1, "Cannot create kNN monitor: numClasses must be at least 1: " + numClasses);
    require(chunkRows >= 1, "Cannot create kNN monitor: chunk rows must be at least 1: " + chunkRows);
    this.k = k;
    this.temperature = temperature;
    this.numClasses = numClasses;
    this.chunkRows = chunkRows;
  }

  /** The same monitor with another number of query rows per similarity block (memory vs. GEMM size). */
  public WeightedKnn withChunkRows(int rows) {
    return new WeightedKnn(k, temperature, numClasses, rows);
  }

  /** How many best classes count as a "top-5" hit: min(5, numClasses). */
  public int topN() {
    return Math.min(TOP_N, numClasses);
  }

  /**
   * Scores every query against the bank.
   *
   * @param bankFeatures [M, D] features of the memory bank (train split, no augmentation)
   * @param bankLabels M labels in [0, numClasses)
   * @param queryFeatures [Q, D] features to classify
   * @param queryLabels Q labels in [0, numClasses)
   * @throws IllegalArgumentException on shape, label or value errors, and when k exceeds M
   */
  public KnnResult evaluate(INDArray bankFeatures, int[] bankLabels, INDArray queryFeatures,
      int[] queryLabels) {
    int n = topN();
    int[] predictions = new int[queryLabels == null ? 0 : queryLabels.length];
    int[] hits = new int[2];
    scan(bankFeatures, bankLabels, queryFeatures, queryLabels, (q, idx, sims) -> {
      int[] best = ranking(classScores(idx, sims, bankLabels), n);
      predictions[q] = best[0];
      hits[0] += best[0] == queryLabels[q] ? 1 : 0;
      for (int c : best) {
        hits[1] += c == queryLabels[q] ? 1 : 0;
      }
    });
    double queries = predictions.length;
    return new KnnResult(100.0 * hits[0] / queries, 100.0 * hits[1] / queries, predictions);
  }

  /** Every intermediate of {@link #evaluate}, per query; for tests, so keep Q small. */
  Details details(INDArray bankFeatures, int[] bankLabels, INDArray queryFeatures, int[] queryLabels) {
    int queries = queryLabels == null ? 0 : queryLabels.length;
    Details d = new Details(new int[queries][], new double[queries][], new double[queries][],
        new int[queries][]);
    scan(bankFeatures, bankLabels, queryFeatures, queryLabels, (q, idx, sims) -> {
      d.neighbours[q] = idx.clone();
      d.similarities[q] = sims.clone();
      d.classScores[q] = classScores(idx, sims, bankLabels);
      d.rankings[q] = ranking(d.classScores[q], numClasses);
    });
    return d;
  }

  /** Per-query neighbours (best first), their similarities, class scores and the full class ranking. */
  record Details(int[][] neighbours, double[][] similarities, double[][] classScores, int[][] rankings) {
  }

  /** Receives each query's k neighbours, best first; the arrays are reused between calls. */
  @FunctionalInterface
  private interface NeighbourVisitor {
    void visit(int query, int[] neighbourIdx, double[] neighbourSims);
  }

  private void scan(INDArray bank, int[] bankLabels, INDArray queries, int[] queryLabels,
      NeighbourVisitor visitor) {
    validate(bank, bankLabels, queries, queryLabels);
    DataType type = bank.dataType() == DataType.DOUBLE || queries.dataType() == DataType.DOUBLE
        ? DataType.DOUBLE : DataType.FLOAT;
    int m = bankLabels.length;
    int q = queryLabels.length;
    INDArray bankUnit = unitRows(bank, type);
    // Row offsets into the block are Java ints: keep chunk * M below 2^31 even for huge banks.
    int rowsPerChunk = (int) Math.min(chunkRows, Integer.MAX_VALUE / (long) m);
    RowSelector selector = new RowSelector(k, m);
    INDArray block = null;
    for (int start = 0; start < q; start += rowsPerChunk) {
      int rows = Math.min(rowsPerChunk, q - start);
      INDArray chunk = unitRows(queries.get(NDArrayIndex.interval(start, start + rows),
          NDArrayIndex.all()), type);
      if (block == null || block.rows() != rows) {
        block = Nd4j.createUninitialized(type, new long[] {rows, m}, 'c');
      }
      // One GEMM per chunk: [rows, D] x [M, D]^T, cosine similarities since both sides are unit rows.
      Nd4j.gemm(chunk, bankUnit, block, false, true, 1.0, 0.0);
      selector.selectRows(block, rows, start, visitor);
    }
  }

  /** Copies one row of the block at a time to the heap and runs the top-k selection on it. */
  private static final class RowSelector {
    private final TopKSelector topK;
    private final int m;
    private final int[] idx;
    private final double[] sims;
    private float[] floatRow;
    private double[] doubleRow;

    RowSelector(int k, int m) {
      this.topK = new TopKSelector(k);
      this.m = m;
      this.idx = new int[k];
      this.sims = new double[k];
    }

    void selectRows(INDArray block, int rows, int firstQuery, NeighbourVisitor visitor) {
      if (block.dataType() == DataType.FLOAT) {
        floatRow = floatRow == null ? new float[m] : floatRow;
        FloatBuffer buf = block.data().asNioFloat();
        for (int r = 0; r < rows; r++) {
          buf.get(r * m, floatRow, 0, m);
          topK.select(floatRow, m, idx, sims);
          visitor.visit(firstQuery + r, idx, sims);
        }
      } else {
        doubleRow = doubleRow == null ? new double[m] : doubleRow;
        DoubleBuffer buf = block.data().asNioDouble();
        for (int r = 0; r < rows; r++) {
          buf.get(r * m, doubleRow, 0, m);
          topK.select(doubleRow, m, idx, sims);
          visitor.visit(firstQuery + r, idx, sims);
        }
      }
    }
  }

  /** x / max(‖x‖₂, 1e-12) per row, as F.normalize; a fresh c-order copy, the caller's array untouched. */
  private static INDArray unitRows(INDArray x, DataType type) {
    INDArray out = x.dataType() == type ? x.dup('c') : x.castTo(type).dup('c');
    INDArray norms = Transforms.max(out.norm2(1), NORM_EPS, false);
    return out.diviColumnVector(norms.reshape(norms.length(), 1));
  }

  private double[] classScores(int[] idx, double[] sims, int[] bankLabels) {
    double[] scores = new double[numClasses];
    for (int i = 0; i < idx.length; i++) {
      scores[bankLabels[idx[i]]] += Math.exp(sims[i] / temperature);
    }
    return scores;
  }

  /** The n best classes: score descending, then class index ascending (strict {@code >} keeps the lower). */
  static int[] ranking(double[] scores, int n) {
    int[] best = new int[n];
    boolean[] taken = new boolean[scores.length];
    for (int r = 0; r < n; r++) {
      int arg = -1;
      for (int c = 0; c < scores.length; c++) {
        if (!taken[c] && (arg < 0 || scores[c] > scores[arg])) {
          arg = c;
        }
      }
      taken[arg] = true;
      best[r] = arg;
    }
    return best;
  }

  private void validate(INDArray bank, int[] bankLabels, INDArray queries, int[] queryLabels) {
    require(bank != null && bankLabels != null && queries != null && queryLabels != null,
        "Cannot run kNN: bank features, bank labels, query features and query labels are all required");
    checkMatrix("bank features", bank, bankLabels.length, "bank labels");
    checkMatrix("query features", queries, queryLabels.length, "query labels");
    require(bank.columns() == queries.columns(), "Cannot run kNN: feature dimensions differ: bank "
        + bank.columns() + ", queries " + queries.columns());
    require(queryLabels.length > 0, "Cannot run kNN: no queries");
    require(k <= bankLabels.length,
        "Cannot run kNN: k=" + k + " exceeds the memory bank size " + bankLabels.length);
    checkLabels("bank", bankLabels);
    checkLabels("query", queryLabels);
    require(!BooleanIndexing.or(bank, Conditions.notFinite()),
        "Cannot run kNN: bank features contain NaN or infinite values");
    require(!BooleanIndexing.or(queries, Conditions.notFinite()),
        "Cannot run kNN: query features contain NaN or infinite values");
  }

  private static void checkMatrix(String what, INDArray x, int labels, String labelWhat) {
    require(x.rank() == 2, "Cannot run kNN: " + what + " must be a [rows, dim] matrix: shape "
        + Arrays.toString(x.shape()));
    require(x.dataType().isFPType(), "Cannot run kNN: " + what + " must be floating point: "
        + x.dataType());
    require(x.rows() == labels, "Cannot run kNN: " + what + " have " + x.rows() + " rows but "
        + labels + " " + labelWhat);
  }

  private void checkLabels(String what, int[] labels) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("Cannot run kNN: " + what + " label " + labels[i]
            + " at index " + i + " is outside [0, " + numClasses + ")");
      }
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
