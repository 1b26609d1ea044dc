package org.mixbt.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.augment.EvalView;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encoder features of a split, computed on the executors: the encoder's parameters are broadcast once,
 * each partition runs the feature extractor in inference mode (BatchNorm on running statistics, as the
 * original's {@code net.eval()}) over evaluation views, and the driver collects features ordered by id.
 */
final class FeatureExtraction {
  private FeatureExtraction() {
  }

  /** Features [records, 8w] and labels of a split, rows ordered by record id. */
  record Features(INDArray features, int[] labels) {
  }

  /** Per-record result shipped back to the driver. */
  record Row(long id, int label, float[] feature) implements java.io.Serializable {
  }

  static Features extract(JavaSparkContext sc, ComputationGraph trained, NetworkSpec spec,
      EvalView transform, JavaRDD<ImageRecord> records, int batchSize) {
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(spec);
    MixedBarlowTwinsNetwork.copyEncoder(trained, extractor);
    Broadcast<float[]> params = sc.broadcast(extractor.params().toFloatVector());
    List<Row> rows = new ArrayList<>(records.mapPartitions(
        part -> extractPartition(part, spec, transform, params.value(), batchSize)).collect());
    params.destroy();
    rows.sort(Comparator.comparingLong(Row::id));
    int n = rows.size();
    int dim = n == 0 ? 0 : rows.get(0).feature().length;
    float[] flat = new float[n * dim];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows.get(i).feature(), 0, flat, i * dim, dim);
      labels[i] = rows.get(i).label();
    }
    return new Features(Nd4j.create(flat, new long[] {n, dim}, DataType.FLOAT), labels);
  }

  private static Iterator<Row> extractPartition(Iterator<ImageRecord> part, NetworkSpec spec,
      EvalView transform, float[] params, int batchSize) {
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(spec);
    extractor.setParams(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
    List<Row> out = new ArrayList<>();
    List<ImageRecord> batch = new ArrayList<>(batchSize);
    while (part.hasNext()) {
      batch.add(part.next());
      if (batch.size() == batchSize || !part.hasNext()) {
        forward(extractor, spec, transform, batch, out);
        batch.clear();
      }
    }
    return out.iterator();
  }

  private static void forward(ComputationGraph extractor, NetworkSpec spec, EvalView transform,
      List<ImageRecord> batch, List<Row> out) {
    int size = spec.imageSize();
    int length = spec.inputChannels() * size * size;
    float[] input = new float[batch.size() * length];
    for (int i = 0; i < batch.size(); i++) {
      ImageRecord r = batch.get(i);
      transform.apply(r.pixels(), r.height(), r.width(), input, i * length);
    }
    INDArray x = Nd4j.create(input, new long[] {batch.size(), spec.inputChannels(), size, size}, DataType.FLOAT);
    float[][] features = extractor.outputSingle(false, x).toFloatMatrix();
    for (int i = 0; i < batch.size(); i++) {
      out.add(new Row(batch.get(i).id(), batch.get(i).label(), features[i]));
    }
  }
}
