package org.mixbt.core.pytorch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's parameters as the state_dict torchvision's module would have, named by the one table
 * ({@link TorchParameterNames}, {@link TorchKeyLayout#TORCHVISION} layout): {@code conv1.weight},
 * {@code bn1.weight}, {@code bn1.bias}, {@code bn1.running_mean}, {@code bn1.running_var},
 * {@code bn1.num_batches_tracked}, {@code layer1.0.conv1.weight}, … in the order {@code state_dict()} lists them
 * (module registration order, which our graph's layer insertion order follows). Values are float32, Linear
 * weights transposed back to PyTorch's [out, in]; num_batches_tracked (int64) is the one buffer we do not keep,
 * so the caller supplies it (it only matters to a BatchNorm with momentum=None).
 */
public final class TorchvisionStateDict {
  private static final String RUNNING_VAR = ".running_var";
  private static final String BATCHES_TRACKED = ".num_batches_tracked";

  private TorchvisionStateDict() {}

  /** Every tensor of {@code graph} under torchvision's names; {@code batchesTracked} fills num_batches_tracked. */
  public static List<ExportTensor> of(ComputationGraph graph, long batchesTracked) {
    TorchKeyLayout layout = TorchKeyLayout.TORCHVISION;
    List<TorchParameterNames.Target> targets = new ArrayList<>(TorchParameterNames.targets(graph, layout));
    // getLayers() is topological order, which may put a shortcut before its block's convs; the configuration
    // keeps insertion order, which is torchvision's registration order. The sort is stable within a layer.
    List<String> order = new ArrayList<>(graph.getConfiguration().getVertices().keySet());
    targets.sort(Comparator.comparingInt(t -> order.indexOf(t.layer())));
    Set<String> buffers = Set.copyOf(TorchParameterNames.ignoredKeys(graph, layout));
    List<ExportTensor> out = new ArrayList<>();
    for (TorchParameterNames.Target t : targets) {
      out.add(tensor(t, graph.getLayer(t.layer()).getParam(t.param())));
      if (t.key().endsWith(RUNNING_VAR)) {
        String tracked = t.key().substring(0, t.key().length() - RUNNING_VAR.length()) + BATCHES_TRACKED;
        if (!buffers.contains(tracked)) {
          throw new IllegalStateException("Cannot export " + t.key() + ": the name table has no " + tracked);
        }
        out.add(ExportTensor.int64Scalar(tracked, batchesTracked));
      }
    }
    return out;
  }

  private static ExportTensor tensor(TorchParameterNames.Target t, INDArray param) {
    // SAME and VECTOR keep the element order (a vector's shape is only [1, n] here); the C-order copy of a
    // parameter (a view into the flat parameter vector) is PyTorch's contiguous layout.
    INDArray values = t.transform() == TorchParameterNames.Transform.TRANSPOSE ? param.transpose() : param;
    float[] data = org.nd4j.linalg.factory.Nd4j.toFlattened('c', values.castTo(DataType.FLOAT)).toFloatVector();
    return ExportTensor.float32(t.key(), t.torchShape(), data);
  }
}
