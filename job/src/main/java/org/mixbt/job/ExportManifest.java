package org.mixbt.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.mixbt.core.augment.GreyscaleViewSettings;
import org.mixbt.core.augment.RgbEvalSettings;
import org.mixbt.core.augment.RgbRecipe;
import org.mixbt.core.augment.ViewRecipe;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.ResNetEncoder;
import org.mixbt.core.model.Stem;

/**
 * {@code export.json}: what a user of the exported encoder needs without reading our code: the architecture
 * (and how to build it from torchvision), the input, the evaluation preprocessing with its normalisation
 * constants, the source run, epoch and metrics, and each file's size and sha256.
 */
final class ExportManifest {
  static final String FORMAT = "mixbt-encoder-export";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportManifest() {
  }

  /** A written file: name, bytes, sha256 (hex) and what it holds. */
  record FileEntry(String name, long bytes, String sha256, String format) {
  }

  static ObjectNode build(ExportSource source, String toolVersion, int tensors, long parameters, long batchesTracked,
      Iterable<FileEntry> files) {
    NetworkSpec net = source.settings.network;
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("tool_version", toolVersion);
    ObjectNode arch = root.putObject("architecture");
    arch.put("arch", name(net.depth()));
    arch.put("stem", name(net.stem()));
    arch.put("base_width", net.baseWidth());
    arch.put("feature_size", net.featureSize());
    arch.put("torchvision", torchvisionRecipe(net));
    ObjectNode input = root.putObject("input");
    input.put("channels", net.inputChannels());
    input.put("height", net.imageSize());
    input.put("width", net.imageSize());
    input.put("layout", "NCHW float32");
    root.set("preprocessing", preprocessing(source.settings.augmentation, net.inputChannels()));
    root.set("source", source(source));
    root.set("metrics", source.metrics);
    ObjectNode weights = root.putObject("weights");
    weights.put("tensors", tensors);
    weights.put("parameters", parameters);
    weights.put("num_batches_tracked", batchesTracked);
    weights.put("dl4j_input", MixedBarlowTwinsNetwork.IMAGE_INPUT);
    weights.put("dl4j_output", ResNetEncoder.FEATURE);
    ObjectNode out = root.putObject("files");
    for (FileEntry f : files) {
      ObjectNode e = out.putObject(f.name());
      e.put("bytes", f.bytes());
      e.put("sha256", f.sha256());
      e.put("format", f.format());
    }
    return root;
  }

  private static ObjectNode source(ExportSource source) {
    ObjectNode src = JSON.createObjectNode();
    src.put("run_id", source.settings.runId);
    src.put("run_folder", source.runFolder().toString());
    src.put("epoch", source.epoch);
    src.put("checkpoint", source.epochFolder.toString());
    src.put("selected_by", source.selectedBy);
    src.put("steps", source.steps);
    return src;
  }

  /** How to build the same module from torchvision, so encoder.pth loads with strict=True. */
  static String torchvisionRecipe(NetworkSpec net) {
    String model = "torchvision.models." + name(net.depth()) + "()";
    StringBuilder s = new StringBuilder(model);
    if (net.baseWidth() != 64) {
      s.append(" with every stage rebuilt at widths ").append(net.baseWidth()).append(", ").append(2 * net.baseWidth())
          .append(", ").append(4 * net.baseWidth()).append(", ").append(8 * net.baseWidth())
          .append(" (conv1/bn1 ").append(net.baseWidth()).append(" channels)");
    }
    if (net.stem() != Stem.IMAGENET) {
      s.append("; conv1 = Conv2d(").append(net.inputChannels()).append(", ").append(net.baseWidth())
          .append(", 3, 1, 1, bias=False)");
    }
    if (net.stem() == Stem.CIFAR) {
      s.append("; maxpool = Identity()");
    }
    return s.append("; fc = Identity() (no fc keys); output = the pooled feature").toString();
  }

  /** The evaluation view: what to apply to an image before the encoder (the kNN monitor's transform). */
  static ObjectNode preprocessing(ViewRecipe recipe, int channels) {
    ObjectNode p = JSON.createObjectNode();
    if (recipe instanceof GreyscaleViewSettings g) {
      p.put("recipe", "fashion-mnist");
      p.put("steps", "grey uint8 image / 255, zero-pad " + g.pad() + " pixels on every side, (x - mean) / std,"
          + " the grey channel repeated to " + channels + " channels");
      p.put("pad", g.pad());
      constants(p, "mean", channels, c -> g.mean());
      constants(p, "std", channels, c -> g.std());
    } else if (recipe instanceof RgbRecipe r) {
      RgbEvalSettings e = r.eval();
      p.put("recipe", r.name());
      p.put("steps", (e.resize() > 0 ? "Resize(" + e.resize() + ", " + name(e.interpolation()) + ") (PIL), " : "")
          + (e.crop() > 0 ? "CenterCrop(" + e.crop() + "), " : "") + "ToTensor, Normalize(mean, std)");
      p.put("resize", e.resize());
      p.put("interpolation", name(e.interpolation()));
      p.put("crop", e.crop());
      constants(p, "mean", 3, e.mean()::get);
      constants(p, "std", 3, e.std()::get);
    } else {
      throw new IllegalStateException("Cannot describe view recipe " + recipe.getClass().getSimpleName());
    }
    return p;
  }

  private static void constants(ObjectNode p, String key, int channels, java.util.function.IntFunction<Float> value) {
    ArrayNode a = p.putArray(key);
    for (int c = 0; c < channels; c++) {
      // The float as written in the configuration (0.286, not 0.28600001335144043).
      a.add(Double.parseDouble(Float.toString(value.apply(c))));
    }
  }

  /** Safetensors metadata: string pairs only. */
  static Map<String, String> safetensorsMetadata(ExportSource source) {
    NetworkSpec net = source.settings.network;
    return Map.of("format", "pt", "arch", name(net.depth()), "stem", name(net.stem()),
        "base_width", Integer.toString(net.baseWidth()), "source_run", source.settings.runId,
        "epoch", Integer.toString(source.epoch));
  }

  static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
