package org.mixbt.core.pickle;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.mixbt.core.data.DatasetFormatException;

/**
 * Pyrolite's unpickler with every opcode that reaches outside the data under our control: GLOBAL,
 * STACK_GLOBAL and INST resolve only the caller's {@link PickleAllowList} (Pyrolite's own global registry,
 * which maps unknown globals to dictionaries, is never consulted); REDUCE, NEWOBJ, NEWOBJ_EX and OBJ call
 * only those allowed globals; BUILD applies state only to a {@link PickleBuildable}; PERSID / BINPERSID go
 * to the caller's persistent loader or are refused. The remaining opcodes build plain values (numbers,
 * strings, byte arrays, lists, maps, tuples as {@code Object[]}), so nothing named by the file is ever run.
 *
 * <p>Python 2 {@code str} values (BINSTRING) arrive as Java Strings of chars 0..255; see {@link PickleValues}.
 * Immutable and thread-safe: each {@link #load} uses its own Pyrolite machine.
 */
public final class RestrictedUnpickler {
  private final PickleAllowList allowList;
  private final Function<Object, Object> persistentLoader;

  /** An unpickler that refuses persistent ids (what a plain data pickle never has). */
  public RestrictedUnpickler(PickleAllowList allowList) {
    this(allowList, null);
  }

  /**
   * @param persistentLoader maps a persistent id (a String for PERSID, any unpickled value for BINPERSID,
   *     e.g. PyTorch's storage tuple) to its object; null refuses them
   */
  public RestrictedUnpickler(PickleAllowList allowList, Function<Object, Object> persistentLoader) {
    this.allowList = allowList;
    this.persistentLoader = persistentLoader;
  }

  /**
   * Unpickles one object from {@code in} (not closed). {@code source} names the file in error messages:
   * "Cannot read {source}: pickle global not allowed: os.system (allowed: …)".
   */
  public Object load(InputStream in, String source) throws IOException {
    Machine machine = new Machine(source);
    try {
      return machine.load(in);
    } catch (DatasetFormatException e) {
      throw e;
    } catch (PickleException | ClassCastException | IllegalArgumentException | IndexOutOfBoundsException
        | NullPointerException e) {
      throw new DatasetFormatException("Cannot read " + source + ": malformed pickle: " + e, e);
    } catch (IOException e) {
      // Pyrolite reports the end of the stream inside a pickle as "premature end of file".
      throw new DatasetFormatException("Cannot read " + source + ": truncated or unreadable pickle: " + e.getMessage(), e);
    }
  }

  private final class Machine extends Unpickler {
    private final String source;

    Machine(String source) {
      this.source = source;
    }

    @Override
    protected Object dispatch(short key) throws IOException {
      switch (key) {
        case Opcodes.GLOBAL -> {
          String module = PickleUtils.readline(input);
          stack.add(resolve(module, PickleUtils.readline(input)));
        }
        case Opcodes.STACK_GLOBAL -> {
          Object name = stack.pop();
          stack.add(resolve(String.valueOf(stack.pop()), String.valueOf(name)));
        }
        case Opcodes.INST -> {
          String module = PickleUtils.readline(input);
          PickleGlobal global = resolve(module, PickleUtils.readline(input));
          stack.add(call(global, stack.pop_all_since_marker().toArray()));
        }
        case Opcodes.OBJ -> {
          List<Object> items = stack.pop_all_since_marker();
          stack.add(call(items.get(0), items.subList(1, items.size()).toArray()));
        }
        case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
          Object args = stack.pop();
          stack.add(call(stack.pop(), args));
        }
        case Opcodes.NEWOBJ_EX -> {
          Object kwargs = stack.pop();
          Object args = stack.pop();
          Object callable = stack.pop();
          if (!(kwargs instanceof Map<?, ?> m) || !m.isEmpty()) {
            throw refused("keyword arguments in NEWOBJ_EX", kwargs);
          }
          stack.add(call(callable, args));
        }
        case Opcodes.BUILD -> {
          Object state = stack.pop();
          Object target = stack.peek();
          if (!(target instanceof PickleBuildable buildable)) {
            throw refused("BUILD (setstate) on a value that is not an allowed object", describe(target));
          }
          try {
            buildable.setState(state);
          } catch (IllegalArgumentException | ClassCastException e) {
            throw DatasetFormatException.of(source, "cannot set state of " + describe(target), e.getMessage());
          }
        }
        // Pyrolite gathers SETITEMS into a HashMap first and makes dicts as HashMaps, losing the order Python
        // dicts (and a state_dict's OrderedDict) keep; these keep it.
        case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<Object, Object>());
        case Opcodes.SETITEMS -> {
          List<Object> items = stack.pop_all_since_marker();
          if (items.size() % 2 != 0) {
            throw new IllegalArgumentException("SETITEMS with an odd number of items: " + items.size());
          }
          @SuppressWarnings("unchecked")
          Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
          for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
          }
        }
        case Opcodes.PERSID -> stack.add(persistent(PickleUtils.readline(input)));
        case Opcodes.BINPERSID -> stack.add(persistent(stack.pop()));
        default -> {
          return super.dispatch(key);
        }
      }
      return NO_RETURN_VALUE;
    }

    private PickleGlobal resolve(String module, String name) {
      IObjectConstructor constructor = allowList.get(module, name);
      if (constructor == null) {
        throw DatasetFormatException.of(source, "pickle global not allowed",
            module + "." + name + " (allowed: " + String.join(", ", allowList.names()) + ")");
      }
      return new PickleGlobal(module, name, constructor);
    }

    private Object call(Object callable, Object args) {
      if (!(callable instanceof PickleGlobal global)) {
        throw refused("call of a value that is not an allowed global", describe(callable));
      }
      if (!(args instanceof Object[] tuple)) {
        throw DatasetFormatException.of(source, "arguments of " + global + " are not a tuple", describe(args));
      }
      try {
        return global.constructor().construct(tuple);
      } catch (PickleException | IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
        throw DatasetFormatException.of(source, "cannot rebuild " + global, e.getMessage());
      }
    }

    private Object persistent(Object pid) {
      if (persistentLoader == null) {
        throw refused("persistent id", describe(pid));
      }
      return persistentLoader.apply(pid);
    }

    private DatasetFormatException refused(String what, Object value) {
      return DatasetFormatException.of(source, "pickle " + what + " not allowed", value);
    }
  }

  private static String describe(Object value) {
    return PickleValues.typeName(value);
  }
}
