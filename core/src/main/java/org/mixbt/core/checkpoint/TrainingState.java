package org.mixbt.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Where a run stands after a checkpointed epoch: the {@code state.json} of an epoch folder. Together with
 * {@code model.zip} (weights and updater state) it is everything a resumed run needs.
 *
 * <p>There is no random-generator state to save: every random stream of mixbt is derived statelessly
 * from (run seed, epoch, step or record id, view) — the epoch order, the views, the mixing weight and
 * permutation — and the initial weights are drawn once from the seed. Resuming at epoch {@code epoch}
 * therefore only needs the seed and the epoch; {@code rng} records the derivation for readers.
 * DL4J's own {@code Random} in ParameterAveragingTrainingMaster is seeded from the run seed
 * ({@code trainingMasterSeed}) and only draws the split of a fit call into rounds, which mixbt never
 * lets happen (it hands DL4J one averaging round per call), so it carries no state either.
 *
 * @param epoch epochs completed (1-based number of the epoch this folder holds)
 * @param globalStep steps trained so far: the next step to train (epoch · stepsPerEpoch)
 * @param stepsPerEpoch steps of one epoch (records / batch size, incomplete batch dropped)
 * @param epochsPlanned mixbt.training.epochs of the run that wrote this checkpoint
 * @param workers parameter-averaging workers the run trained with (resolved: mixbt.spark.workers = 0 is
 *     Spark's default parallelism, which a rerun may see differently)
 * @param seed the run seed
 * @param trainingMasterSeed the rngSeed given to DL4J's ParameterAveragingTrainingMaster
 * @param configSha256 SHA-256 of the result-relevant resolved configuration (what auto-resume compares)
 * @param metrics the epoch's metrics line (a JSON object)
 */
public record TrainingState(int epoch, long globalStep, long stepsPerEpoch, int epochsPlanned, int workers, long seed,
    long trainingMasterSeed, String configSha256, String metrics) {
  public static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RNG_SCHEME = "stateless: every stream is keyed by (seed, epoch, step or record id,"
      + " view); resume needs only seed and epoch";

  /** The state as the JSON document stored in {@code state.json}. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("epoch", epoch);
    root.put("global_step", globalStep);
    root.put("steps_per_epoch", stepsPerEpoch);
    root.put("epochs_planned", epochsPlanned);
    root.put("workers", workers);
    root.put("seed", seed);
    ObjectNode rng = root.putObject("rng");
    rng.put("scheme", RNG_SCHEME);
    rng.put("next_epoch", epoch);
    rng.put("next_step", globalStep);
    rng.put("training_master_seed", trainingMasterSeed);
    root.put("config_sha256", configSha256);
    try {
      root.set("metrics", JSON.readTree(metrics));
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot write state.json: metrics are not JSON: " + metrics, e);
    }
  }

  /**
   * Parses a {@code state.json}; {@code file} names it in errors. A document that is not JSON, lacks a
   * field or disagrees with itself is a corrupt checkpoint.
   */
  public static TrainingState fromJson(String text, String file) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": not a JSON object");
    }
    int format = (int) number(root, "format", file);
    if (format != FORMAT) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": format " + format
          + ", this mixbt reads format " + FORMAT);
    }
    JsonNode rng = field(root, "rng", file);
    TrainingState state = new TrainingState((int) number(root, "epoch", file), number(root, "global_step", file),
        number(root, "steps_per_epoch", file), (int) number(root, "epochs_planned", file),
        (int) number(root, "workers", file), number(root, "seed", file),
        number(rng, "training_master_seed", file), text(root, "config_sha256", file),
        field(root, "metrics", file).toString());
    if (state.epoch < 1 || state.stepsPerEpoch < 1 || state.globalStep != state.epoch * state.stepsPerEpoch) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": global_step " + state.globalStep
          + " is not epoch " + state.epoch + " x steps_per_epoch " + state.stepsPerEpoch);
    }
    return state;
  }

  private static JsonNode field(JsonNode node, String name, String file) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": missing field " + name);
    }
    return v;
  }

  private static long number(JsonNode node, String name, String file) {
    JsonNode v = field(node, name, file);
    if (!v.isIntegralNumber()) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": field " + name
          + " is not an integer: " + v);
    }
    return v.asLong();
  }

  private static String text(JsonNode node, String name, String file) {
    JsonNode v = field(node, name, file);
    if (!v.isTextual()) {
      throw new CheckpointException("Cannot read checkpoint state " + file + ": field " + name + " is not a string: " + v);
    }
    return v.asText();
  }
}
