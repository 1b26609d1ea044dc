package org.mixbt.job;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.pytorch.ExportTensor;
import org.mixbt.core.pytorch.SafetensorsWriter;
import org.mixbt.core.pytorch.TorchDtype;
import org.mixbt.core.pytorch.TorchSaveWriter;
import org.mixbt.core.pytorch.TorchvisionStateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the encoder of a training checkpoint into an export folder: {@code encoder.zip} (the DL4J feature
 * extractor: input {@code image}, output {@code feature}, no projector, loss or updater), {@code encoder.pth}
 * (a torch.save state_dict under torchvision's names), {@code encoder.safetensors} (the same tensors) and
 * {@code export.json} ({@link ExportManifest}). The folder is written under a temporary sibling name and renamed
 * when complete, so a reader never sees half an export; an existing output is replaced only when asked.
 */
final class EncoderExport {
  static final String DL4J = "encoder.zip";
  static final String TORCH = "encoder.pth";
  static final String SAFETENSORS = "encoder.safetensors";
  static final String MANIFEST = "export.json";

  private EncoderExport() {
  }

  /** Fails (IllegalArgumentException: a usage error) when {@code output} exists and may not be replaced. */
  static void checkOutput(String output, boolean overwrite, Configuration hadoop) throws IOException {
    Path out = new Path(output);
    if (!overwrite && out.getFileSystem(hadoop).exists(out)) {
      throw new IllegalArgumentException("Cannot export to " + output + ": it exists (use --overwrite to replace it)");
    }
  }

  /** The encoder of {@code source} as a feature extractor of the network its config.conf describes. */
  static ComputationGraph encoder(ExportSource source) {
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(source.settings.network);
    Path model = new Path(source.epochFolder, CheckpointStore.MODEL);
    Path config = new Path(source.epochFolder, CheckpointStore.CONFIG);
    for (Layer layer : extractor.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      Layer trained = source.network.getConfiguration().getVertices().containsKey(name)
          ? source.network.getLayer(name) : null;
      for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
        INDArray found = trained == null ? null : trained.paramTable().get(p.getKey());
        if (found == null || !Arrays.equals(found.shape(), p.getValue().shape())) {
          throw new CheckpointException("Cannot export checkpoint: " + model + " does not hold the network " + config
              + " describes (" + ExportManifest.torchvisionRecipe(source.settings.network) + "): layer "
              + name + " parameter " + p.getKey() + " expected " + Arrays.toString(p.getValue().shape()) + ", found "
              + (found == null ? "none" : Arrays.toString(found.shape())));
        }
      }
    }
    MixedBarlowTwinsNetwork.copyEncoder(source.network, extractor);
    return extractor;
  }

  /** Writes the export of {@code source} to {@code output}; returns the committed folder. */
  static Path write(ExportSource source, String output, boolean overwrite, Configuration hadoop, String toolVersion)
      throws IOException {
    ComputationGraph encoder = encoder(source);
    // What a single-process run's BatchNorms would count: one update per view per step.
    long batchesTracked = source.steps * source.settings.network.views();
    List<ExportTensor> tensors = TorchvisionStateDict.of(encoder, batchesTracked);
    Path out = new Path(output);
    FileSystem fs = out.getFileSystem(hadoop);
    out = fs.makeQualified(out);
    Path temp = new Path(out.getParent(), out.getName() + "._tmp-" + UUID.randomUUID());
    try {
      fs.mkdirs(temp);
      List<ExportManifest.FileEntry> files = new ArrayList<>();
      files.add(file(fs, temp, DL4J, "DL4J ComputationGraph (ModelSerializer), no updater",
          o -> ModelSerializer.writeModel(encoder, o, false)));
      files.add(file(fs, temp, TORCH, "torch.save zip (state_dict, torchvision names)",
          o -> TorchSaveWriter.write(tensors, "encoder", o)));
      files.add(file(fs, temp, SAFETENSORS, "safetensors (same tensors as encoder.pth)",
          o -> SafetensorsWriter.write(tensors, ExportManifest.safetensorsMetadata(source), o)));
      long parameters = tensors.stream().filter(t -> t.dtype() == TorchDtype.FLOAT32).mapToLong(ExportTensor::numel).sum();
      byte[] manifest = ExportManifest.build(source, toolVersion, tensors.size(), parameters, batchesTracked, files)
          .toPrettyString().concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      file(fs, temp, MANIFEST, "json", o -> o.write(manifest));
      commit(fs, temp, out, overwrite);
      return out;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(fs, temp);
      throw e;
    }
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static ExportManifest.FileEntry file(FileSystem fs, Path folder, String name, String format, Body body)
      throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    Path path = new Path(folder, name);
    try (OutputStream raw = fs.create(path, false); DigestOutputStream out = new DigestOutputStream(raw, sha)) {
      body.write(out);
    }
    return new ExportManifest.FileEntry(name, fs.getFileStatus(path).getLen(), HexFormat.of().formatHex(sha.digest()),
        format);
  }

  /** Renames the complete temporary folder onto {@code out}; an old export is moved aside first, then deleted. */
  private static void commit(FileSystem fs, Path temp, Path out, boolean overwrite) throws IOException {
    Path old = null;
    if (fs.exists(out)) {
      if (!overwrite) {
        throw new IllegalArgumentException("Cannot export to " + out + ": it exists (use --overwrite to replace it)");
      }
      old = new Path(out.getParent(), out.getName() + "._old-" + UUID.randomUUID());
      if (!fs.rename(out, old)) {
        throw new IOException("Cannot export to " + out + ": cannot move the existing folder aside to " + old);
      }
    }
    if (!fs.rename(temp, out)) {
      if (old != null) {
        fs.rename(old, out);
      }
      throw new IOException("Cannot export to " + out + ": rename of " + temp + " refused");
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException ignored) {
      // Already failing; the temporary name marks the folder as garbage.
    }
  }
}
