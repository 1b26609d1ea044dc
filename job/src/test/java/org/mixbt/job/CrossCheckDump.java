package org.mixbt.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * For the one-off PyTorch cross-check ({@code deploy/export-torch-check.py}): when the environment variable
 * {@code MIXBT_EXPORT_CROSSCHECK_DIR} is set, the round-trip tests leave each export in a sub-folder named after its variant (e.g.
 * {@code resnet18-cifar}) with
 * {@code inputs.f32} (the fixed inputs, NCHW) and {@code features.f32} (the trained network's features), raw
 * little-endian float32. CI never sets it, so nothing here depends on PyTorch.
 */
final class CrossCheckDump {
  static final String VARIABLE = "MIXBT_EXPORT_CROSSCHECK_DIR";

  private CrossCheckDump() {
  }

  static void write(String variant, Path export, INDArray inputs, INDArray features) throws IOException {
    String target = System.getenv(VARIABLE);
    if (target == null || target.isEmpty()) {
      return;
    }
    Path dir = Path.of(target).resolve(variant);
    FileUtils.deleteDirectory(dir.toFile());
    FileUtils.copyDirectory(export.toFile(), dir.toFile());
    Files.write(dir.resolve("inputs.f32"), floats(inputs));
    Files.write(dir.resolve("features.f32"), floats(features));
  }

  private static byte[] floats(INDArray a) {
    float[] v = org.nd4j.linalg.factory.Nd4j.toFlattened('c', a).toFloatVector();
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }
}
