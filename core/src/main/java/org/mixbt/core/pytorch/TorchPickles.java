package org.mixbt.core.pytorch;

import java.util.List;
import java.util.function.Function;
import org.mixbt.core.pickle.PickleAllowList;
import org.mixbt.core.pickle.PickleGlobal;
import org.mixbt.core.pickle.PickleValues;

/**
 * What a {@code torch.save} pickle of a state_dict (or a dict holding one, with plain Python values beside it)
 * may name, and nothing more: {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} (a saved {@code nn.Parameter}) and the storage classes, which may only
 * appear inside persistent ids. Everything else (os.system, builtins.eval, arbitrary classes) is refused.
 */
final class TorchPickles {
  static final PickleAllowList ALLOW_LIST = build();

  private TorchPickles() {}

  private static PickleAllowList build() {
    PickleAllowList.Builder b = PickleAllowList.builder()
        .allow("collections", "OrderedDict", TorchPickles::orderedDict)
        .allow("torch._utils", "_rebuild_tensor_v2", TorchPickles::rebuildTensor)
        .allow("torch._utils", "_rebuild_parameter", TorchPickles::rebuildParameter);
    for (TorchDtype dtype : TorchDtype.values()) {
      b.allow("torch", dtype.storageClass(), PickleAllowList.marker("torch", dtype.storageClass()));
    }
    // PyTorch 2 names an untyped (byte) storage by its class in torch.storage; it is re-exported from torch.
    b.allow("torch", "UntypedStorage", PickleAllowList.marker("torch", "UntypedStorage"));
    b.allow("torch.storage", "UntypedStorage", PickleAllowList.marker("torch.storage", "UntypedStorage"));
    return b.build();
  }

  /** {@code OrderedDict()}: entries arrive by SETITEMS, attributes by BUILD. */
  private static Object orderedDict(Object[] args) {
    if (args.length != 0) {
      throw new IllegalArgumentException("expected OrderedDict(), found " + args.length + " arguments");
    }
    return new TorchOrderedDict();
  }

  /**
   * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}:
   * the hooks are an empty OrderedDict in every file torch.save writes; metadata (PyTorch 2) is ignored.
   */
  private static Object rebuildTensor(Object[] args) {
    if (args.length != 6 && args.length != 7) {
      throw new IllegalArgumentException("expected 6 or 7 arguments, found " + args.length);
    }
    if (!(args[0] instanceof TorchStorage storage)) {
      throw new IllegalArgumentException("first argument is not a storage persistent id");
    }
    if (args[5] instanceof java.util.Map<?, ?> hooks && !hooks.isEmpty()) {
      throw new IllegalArgumentException("tensor has backward hooks, which a state_dict never has");
    }
    return new TorchTensor(storage, PickleValues.integer(args[1]), longs(args[2]), longs(args[3]));
  }

  /** {@code _rebuild_parameter(data, requires_grad, backward_hooks)}: a Parameter is its tensor here. */
  private static Object rebuildParameter(Object[] args) {
    if (args.length != 3 || !(args[0] instanceof TorchTensor tensor)) {
      throw new IllegalArgumentException("expected _rebuild_parameter(tensor, requires_grad, hooks)");
    }
    return tensor;
  }

  private static long[] longs(Object tuple) {
    List<?> items = PickleValues.list(tuple);
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = PickleValues.integer(items.get(i));
    }
    return out;
  }

  /**
   * The persistent-id loader for one checkpoint: {@code ('storage', storage_type, key, location, numel)}
   * (the zip format) or the legacy format's 6-tuple with a trailing view description, which must be None.
   */
  static Function<Object, Object> storageLoader(TorchStorage.Source source) {
    return pid -> {
      List<?> t;
      try {
        t = PickleValues.list(pid);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("persistent id is not a tuple: " + pid);
      }
      if ((t.size() != 5 && t.size() != 6) || !"storage".equals(t.get(0))) {
        throw new IllegalArgumentException("persistent id is not ('storage', type, key, location, numel): " + t);
      }
      if (t.size() == 6 && t.get(5) != null) {
        throw new IllegalArgumentException("storage views of the legacy format are not supported: " + t);
      }
      if (!(t.get(1) instanceof PickleGlobal type)) {
        throw new IllegalArgumentException("storage type is not a storage class: " + t.get(1));
      }
      return new TorchStorage(dtypeOf(type), PickleValues.text(t.get(2)), PickleValues.integer(t.get(4)), source);
    };
  }

  private static TorchDtype dtypeOf(PickleGlobal type) {
    if (type.name().equals("UntypedStorage")) {
      return TorchDtype.UINT8;
    }
    for (TorchDtype d : TorchDtype.values()) {
      if (type.is("torch", d.storageClass())) {
        return d;
      }
    }
    throw new IllegalArgumentException("not a storage class: " + type);
  }
}
