package org.mixbt.core.pytorch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.checkpoint.CheckpointException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies a PyTorch state_dict into one of our networks by name ({@link TorchParameterNames}), strictly: every
 * parameter of the network must be in the checkpoint with its exact shape, and every checkpoint key must be used,
 * apart from the keys {@link ImportReport#ignoredKeys} lists (BatchNorm's num_batches_tracked; with
 * {@link ImportOptions#encoderOnly} the projector and classifier). Nothing is copied unless everything matches.
 */
public final class TorchCheckpointImporter {
  private static final int LISTED = 20;

  private TorchCheckpointImporter() {}

  /** Reads {@code file} (zip or legacy torch.save format) and imports it into {@code graph}. */
  public static ImportReport load(Path file, ImportOptions options, ComputationGraph graph) {
    try (TorchCheckpoint checkpoint = TorchCheckpointReader.open(file)) {
      return importStateDict(checkpoint.stateDict(options.selection()), options, graph, file.toString());
    } catch (IOException e) {
      throw new CheckpointException("Cannot close checkpoint " + file + ": " + e, e);
    }
  }

  /** Imports an already selected state_dict; {@code source} names it in errors. */
  public static ImportReport importStateDict(Map<String, TorchTensor> stateDict, ImportOptions options,
      ComputationGraph graph, String source) {
    TorchKeyLayout layout = options.layout() != null ? options.layout() : TorchKeyLayout.detect(stateDict.keySet());
    Map<String, TorchParameterNames.Target> expected = new LinkedHashMap<>();
    for (TorchParameterNames.Target t : TorchParameterNames.targets(graph, layout)) {
      // Encoder only: a network that has a projector keeps its own (random) one.
      if (!options.encoderOnly() || !TorchParameterNames.headKey(t.key(), layout)) {
        expected.put(t.key(), t);
      }
    }
    Set<String> ignorable = new HashSet<>(TorchParameterNames.ignoredKeys(graph, layout));
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (TorchParameterNames.Target t : expected.values()) {
      TorchTensor tensor = stateDict.get(t.key());
      if (tensor == null) {
        missing.add(t.key());
      } else if (!Arrays.equals(tensor.shape(), t.torchShape()) || !tensor.dtype().floating()) {
        mismatched.add(t.key() + " expected float " + Arrays.toString(t.torchShape()) + " found " + tensor);
      }
    }
    List<String> unexpected = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String key : stateDict.keySet()) {
      if (expected.containsKey(key)) {
        continue;
      }
      if (ignorable.contains(key) || (options.encoderOnly() && TorchParameterNames.headKey(key, layout))) {
        ignored.add(key);
      } else {
        unexpected.add(key);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
      throw new CheckpointException("Cannot import checkpoint " + source + " (" + layout + " names"
          + (options.encoderOnly() ? ", encoder only" : "") + ") into the network:"
          + listed(" missing key(s)", missing) + listed(" unexpected key(s)", unexpected)
          + listed(" shape mismatch(es)", mismatched));
    }
    long values = 0;
    for (TorchParameterNames.Target t : expected.values()) {
      values += copy(stateDict.get(t.key()), graph.getLayer(t.layer()).getParam(t.param()), t);
    }
    return new ImportReport(layout, expected.size(), values, ignored);
  }

  private static long copy(TorchTensor tensor, INDArray param, TorchParameterNames.Target t) {
    INDArray values = param.dataType() == DataType.DOUBLE
        ? Nd4j.create(tensor.toDoubleArray(), tensor.shape(), 'c')
        : Nd4j.create(tensor.toFloatArray(), tensor.shape(), 'c').castTo(param.dataType());
    switch (t.transform()) {
      case SAME -> param.assign(values);
      case VECTOR -> param.assign(values.reshape(param.shape()));
      case TRANSPOSE -> param.assign(values.transpose());
    }
    return values.length();
  }

  private static String listed(String what, List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    String shown = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
    return " " + items.size() + what + ": " + shown + (items.size() > LISTED ? ", …" : "") + ";";
  }
}
