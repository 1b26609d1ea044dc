package org.mixbt.core.shard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sidecar {@value #FILE_NAME} at a shard root, describing every shard written by the prep job.
 *
 * <p>Layout of a shard root: {@code <root>/manifest.json} and {@code <root>/<split>/<shard file>} with
 * the columns of {@link ShardSchema}. The manifest is strict: unknown or missing keys are errors, and
 * {@link #validate()} checks internal consistency (counts add up, hashes look like sha256, stats match
 * the channel count).
 *
 * @param formatVersion {@value #FORMAT_VERSION}; readers refuse other versions
 * @param toolVersion version of the prep tool that wrote the shards
 * @param dataset dataset name, e.g. "fashion-mnist"
 * @param classNames label i is classNames[i]
 * @param coarseClassNames coarse label i is coarseClassNames[i] (CIFAR-100's superclasses); empty if none
 * @param storage {@value #STORAGE_RAW} when every row holds raw pixels, {@value #STORAGE_ENCODED} when rows
 *     hold encoded image files (see {@link ShardSchema#ENCODING})
 * @param shape the shape shared by every image, or null when sizes vary (see {@code imageSizes})
 * @param imageSizes size statistics over all splits (decoded sizes, after any prep-time resize)
 * @param resizeShortSide short side images were resized to at prep time, 0 if kept as published
 * @param splits per split name ("train", "test"): counts, shards, source files read, inputs skipped
 * @param normalization per-channel statistics of the train split
 * @param shuffleSeed seed of the one-time permutation of records before sharding
 */
public record ShardManifest(
    int formatVersion,
    String toolVersion,
    String dataset,
    List<String> classNames,
    List<String> coarseClassNames,
    String storage,
    ImageShape shape,
    ImageSizes imageSizes,
    int resizeShortSide,
    Map<String, Split> splits,
    Normalization normalization,
    long shuffleSeed) {

  public static final String FILE_NAME = "manifest.json";
  /** 2: encoded rows, coarse labels, source column, skipped inputs, size statistics. */
  public static final int FORMAT_VERSION = 2;
  public static final String STORAGE_RAW = "raw";
  public static final String STORAGE_ENCODED = "encoded";
  /** What {@link Normalization#mean()} and {@link Normalization#std()} are, as written in the manifest. */
  public static final String STATS_DEFINITION =
      "per channel over all pixels of the split, of pixel/255: mean, and population std (divide by N)";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Shape of every image, HWC. */
  public record ImageShape(int height, int width, int channels) {}

  /** Smallest, largest and mean decoded size over every image written. */
  public record ImageSizes(int minHeight, int maxHeight, int minWidth, int maxWidth, double meanHeight,
      double meanWidth) {}

  /**
   * One split: its record count, its shards in order, the publisher files it was read from, and the inputs
   * skipped because they could not be decoded (not counted in {@code records}).
   */
  public record Split(long records, List<Shard> shards, List<SourceFile> sourceFiles, List<Skipped> skipped) {}

  /** An input left out of the shards: where it was and why. */
  public record Skipped(String source, String reason) {}

  /** One shard file, named relative to {@code <root>/<split>/}. */
  public record Shard(String file, long records, String sha256) {}

  /** One publisher file as read (compressed bytes if it was compressed). */
  public record SourceFile(String name, long sizeBytes, String sha256) {}

  /** Per-channel mean and std of pixel/255 over one split; see {@link #STATS_DEFINITION}. */
  public record Normalization(String split, List<Double> mean, List<Double> std, String definition) {}

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize shard manifest: " + e.getMessage(), e);
    }
  }

  /** Parses and validates; any problem is an IllegalArgumentException saying what is wrong. */
  public static ShardManifest fromJson(String json) {
    ShardManifest manifest;
    try {
      manifest = JSON.readValue(json, ShardManifest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    }
    manifest.validate();
    return manifest;
  }

  /** Checks internal consistency; throws IllegalArgumentException naming the first problem. */
  public void validate() {
    require(formatVersion == FORMAT_VERSION, "unsupported formatVersion", formatVersion);
    require(dataset != null && !dataset.isEmpty(), "missing dataset", dataset);
    require(classNames != null && !classNames.isEmpty(), "missing classNames", classNames);
    require(coarseClassNames != null, "missing coarseClassNames", null);
    require(STORAGE_RAW.equals(storage) || STORAGE_ENCODED.equals(storage), "unknown storage", storage);
    require(shape == null || shape.height() > 0 && shape.width() > 0 && shape.channels() > 0, "bad shape", shape);
    require(shape != null || STORAGE_ENCODED.equals(storage), "raw storage needs one shape", shape);
    require(imageSizes != null && imageSizes.minHeight() > 0 && imageSizes.minWidth() > 0
        && imageSizes.minHeight() <= imageSizes.maxHeight() && imageSizes.minWidth() <= imageSizes.maxWidth(),
        "bad imageSizes", imageSizes);
    require(resizeShortSide >= 0, "negative resizeShortSide", resizeShortSide);
    require(splits != null && !splits.isEmpty(), "no splits", splits);
    for (Map.Entry<String, Split> e : splits.entrySet()) {
      Split split = e.getValue();
      require(split != null && split.shards() != null && split.sourceFiles() != null && split.skipped() != null,
          "incomplete split", e.getKey());
      long sum = 0;
      for (Shard shard : split.shards()) {
        require(shard.file() != null && !shard.file().contains("/"), "bad shard file name", shard.file());
        require(shard.sha256() != null && SHA256.matcher(shard.sha256()).matches(), "bad sha256", shard.sha256());
        sum += shard.records();
      }
      require(sum == split.records(), "shard records do not add up for split " + e.getKey(),
          sum + " in shards, " + split.records() + " in split");
    }
    require(normalization != null && normalization.mean() != null && normalization.std() != null
        && normalization.mean().size() == normalization.std().size()
        && (shape == null || normalization.mean().size() == shape.channels()),
        "normalization does not have one mean and std per channel", normalization);
  }

  private static void require(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(what + ": " + value);
    }
  }
}
