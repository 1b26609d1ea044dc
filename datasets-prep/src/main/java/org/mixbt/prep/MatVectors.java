package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sources;

/**
 * Integer vectors stored in a MATLAB v5 {@code .mat} file (read with MFL, compressed or not), e.g.
 * Flowers-102's {@code labels} and {@code trnid}. A missing file or variable, a variable that is not a 1×n or
 * n×1 numeric array, or a value that is not an integer is an error naming the file and variable.
 */
final class MatVectors {
  private final Path path;
  private final Mat5File mat;
  private final ShardManifest.SourceFile description;

  MatVectors(FileSystem fs, Path root, String name) throws IOException {
    this.path = new Path(root, name);
    if (!fs.isFile(path)) {
      throw DatasetFormatException.of(path, "missing file", "no such file");
    }
    byte[] bytes;
    try (InputStream in = fs.open(path)) {
      bytes = in.readAllBytes();
    }
    try {
      this.mat = Mat5.newReader(Sources.wrap(bytes)).readMat();
    } catch (IOException | RuntimeException e) {
      throw new DatasetFormatException("Cannot read " + path + ": not a MATLAB v5 .mat file: " + e.getMessage(), e);
    }
    this.description = new ShardManifest.SourceFile(name, bytes.length,
        HexFormat.of().formatHex(ArchiveEntries.sha256().digest(bytes)));
  }

  /** The integer values of vector {@code variable}. */
  int[] ints(String variable) {
    Matrix m;
    try {
      m = mat.getMatrix(variable);
    } catch (RuntimeException e) {
      throw DatasetFormatException.of(path, "missing numeric variable", variable);
    }
    if (m.getNumDimensions() != 2 || Math.min(m.getNumRows(), m.getNumCols()) != 1) {
      throw DatasetFormatException.of(path, "variable " + variable + " is not a vector: dimensions",
          java.util.Arrays.toString(m.getDimensions()));
    }
    int[] out = new int[m.getNumElements()];
    for (int i = 0; i < out.length; i++) {
      double v = m.getDouble(i);
      if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
        throw DatasetFormatException.of(path, "variable " + variable + "[" + i + "] is not an integer", v);
      }
      out[i] = (int) v;
    }
    return out;
  }

  ShardManifest.SourceFile description() {
    return description;
  }

  Path path() {
    return path;
  }
}
