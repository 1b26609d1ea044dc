package org.mixbt.core.pytorch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixbt.core.checkpoint.CheckpointException;

/**
 * Which part of a saved object is the state_dict, and which key prefix to remove from its names.
 *
 * <p>{@code entry}: a dot-separated path of dict keys to the state_dict ("state_dict", "model"), "" for the root.
 * {@link #AUTO} takes the root when every value there is a tensor, else the one of {@code state_dict},
 * {@code model}, {@code model_state_dict} or {@code net} that holds a dict, so that training checkpoints such as
 * {@code {'epoch': …, 'model': …, 'optimizer': …}} (Barlow Twins' and mix-bt's ImageNet {@code checkpoint.pth})
 * load as they are.
 *
 * <p>{@code stripPrefix}: removed from every key that has it ("module." from DistributedDataParallel); keys
 * without it are kept. {@link #AUTO} strips "module." when every key starts with it. Names the original code uses
 * otherwise ({@code f.}/{@code g.} for the small-data model, {@code backbone.}/{@code projector.} for ImageNet) are
 * left alone: {@link TorchKeyLayout} maps them.
 */
public record StateDictSelection(String entry, String stripPrefix) {
  private static final String AUTO_MARK = "\0auto";
  public static final StateDictSelection AUTO = new StateDictSelection(AUTO_MARK, AUTO_MARK);
  private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model", "model_state_dict", "net");
  private static final String DDP_PREFIX = "module.";

  public StateDictSelection {
    if (entry == null || stripPrefix == null) {
      throw new IllegalArgumentException("Cannot select a state_dict: entry and stripPrefix must not be null"
          + " (use \"\" for none)");
    }
  }

  /** The tensors of {@code root} as this selection describes; {@code file} names the file in errors. */
  Map<String, TorchTensor> select(Object root, String file) {
    Object picked = AUTO_MARK.equals(entry) ? autoEntry(root, file) : walk(root, entry, file);
    Map<String, TorchTensor> tensors = tensors(picked, file);
    String prefix = AUTO_MARK.equals(stripPrefix)
        ? (!tensors.isEmpty() && tensors.keySet().stream().allMatch(k -> k.startsWith(DDP_PREFIX)) ? DDP_PREFIX : "")
        : stripPrefix;
    Map<String, TorchTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, TorchTensor> e : tensors.entrySet()) {
      String key = !prefix.isEmpty() && e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
      if (out.put(key, e.getValue()) != null) {
        throw new CheckpointException("Cannot read checkpoint " + file + ": key " + key + " appears twice once prefix "
            + prefix + " is removed");
      }
    }
    return out;
  }

  private static Object autoEntry(Object root, String file) {
    if (root instanceof Map<?, ?> map && map.values().stream().allMatch(v -> v instanceof TorchTensor)) {
      return root;
    }
    if (root instanceof Map<?, ?> map) {
      List<String> found = WRAPPER_KEYS.stream().filter(k -> map.get(k) instanceof Map<?, ?>).toList();
      if (found.size() == 1) {
        return map.get(found.get(0));
      }
      throw new CheckpointException("Cannot find the state_dict in checkpoint " + file + ": the top-level dict holds"
          + " values other than tensors and " + (found.isEmpty() ? "none" : "more than one") + " of " + WRAPPER_KEYS
          + " (keys: " + map.keySet() + "); name the entry to use");
    }
    throw new CheckpointException("Cannot find the state_dict in checkpoint " + file + ": the saved object is not a"
        + " dict: " + (root == null ? "None" : root.getClass().getSimpleName()));
  }

  private static Object walk(Object root, String path, String file) {
    Object at = root;
    if (path.isEmpty()) {
      return at;
    }
    for (String part : path.split("\\.")) {
      if (!(at instanceof Map<?, ?> map) || !map.containsKey(part)) {
        throw new CheckpointException("Cannot find the state_dict in checkpoint " + file + ": no entry " + path
            + " (missing part " + part + ")");
      }
      at = map.get(part);
    }
    return at;
  }

  private static Map<String, TorchTensor> tensors(Object dict, String file) {
    if (!(dict instanceof Map<?, ?> map)) {
      throw new CheckpointException("Cannot read the state_dict of checkpoint " + file + ": it is not a dict");
    }
    Map<String, TorchTensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TorchTensor t)) {
        throw new CheckpointException("Cannot read the state_dict of checkpoint " + file + ": entry " + e.getKey()
            + " is not a tensor: " + (e.getValue() == null ? "None" : e.getValue().getClass().getSimpleName()));
      }
      out.put(key, t);
    }
    return out;
  }
}
