package org.mixbt.core.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether the ND4J backend this JVM loaded has machine code for its devices, decided before any kernel
 * runs. The published {@code nd4j-cuda-11.6:1.0.0-M2.1} library holds SASS for {@link #CUDA_11_6_SASS} and
 * no PTX, so a newer GPU (Hopper, sm_90) finds no kernel image and the run would crash in its first op;
 * mixbt refuses such a device at start with a message that says so. The CPU backend always passes.
 */
public final class BackendCheck {
  /**
   * Compute capabilities (major·10 + minor) with SASS in libnd4jcuda.so of {@code nd4j-cuda-11.6:1.0.0-M2.1}
   * (classifier {@code linux-x86_64-cudnn}), and no PTX: measured with {@code deploy/cuda-archs.py}, which read
   * 239 fat binaries, each with cubins for exactly these nine targets.
   */
  public static final List<Integer> CUDA_11_6_SASS = List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

  private BackendCheck() {
  }

  /** One GPU as the CUDA backend reports it. */
  public record Device(int index, String name, int major, int minor) {
    String capability() {
      return major + "." + minor;
    }
  }

  /**
   * The decision, a pure function: empty when every device can run the backend's code, else the message
   * to refuse the run with. A device of compute capability X.y runs SASS built for X.z with z &le; y (CUDA's
   * binary compatibility within a major version); without PTX nothing else runs.
   *
   * @param backend ND4J's backend name ("CPU", "CUDA")
   * @param devices the GPUs the backend sees (ignored for a CPU backend)
   * @param sass the compute capabilities (major·10 + minor) the backend's library has code for
   */
  public static Optional<String> refusal(String backend, List<Device> devices, List<Integer> sass) {
    if (!"CUDA".equalsIgnoreCase(backend)) {
      return Optional.empty();
    }
    if (devices.isEmpty()) {
      return Optional.of("Cannot train on the CUDA backend: it reports no GPU (check CUDA_VISIBLE_DEVICES and the"
          + " driver, or run the CPU build)");
    }
    List<String> unsupported = new ArrayList<>();
    for (Device d : devices) {
      if (!runs(d, sass)) {
        unsupported.add("GPU " + d.index() + " " + d.name() + " (compute capability " + d.capability() + ")");
      }
    }
    if (unsupported.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Cannot train on " + String.join(", ", unsupported) + ": the ND4J CUDA backend has kernels"
        + " for compute capabilities " + describe(sass) + " only and no PTX to compile for newer GPUs (it would crash in its first kernel); run on GPUs of those"
        + " capabilities (e.g. V100 7.0, A100 8.0, A10 8.6, L4 8.9) or with the CPU build");
  }

  static boolean runs(Device d, List<Integer> sass) {
    for (int cc : sass) {
      if (cc / 10 == d.major() && cc % 10 <= d.minor()) {
        return true;
      }
    }
    return false;
  }

  /** "3.7 to 8.x": the lowest target, and the highest major (its later minors run too). */
  private static String describe(List<Integer> sass) {
    int lo = sass.stream().mapToInt(Integer::intValue).min().orElse(0);
    int hi = sass.stream().mapToInt(Integer::intValue).max().orElse(0);
    return lo / 10 + "." + lo % 10 + " to " + hi / 10 + ".x";
  }

  /**
   * The devices in ND4J's environment information ({@code Nd4j.getExecutioner().getEnvironmentInformation()}):
   * the CUDA executioner lists them under {@code cuda.devicesInformation} as maps with {@code cuda.deviceName},
   * {@code cuda.deviceMajor}, {@code cuda.deviceMinor}; the CPU one has none.
   */
  @SuppressWarnings("unchecked")
  public static List<Device> devices(Properties environment) {
    Object list = environment.get("cuda.devicesInformation");
    List<Device> devices = new ArrayList<>();
    if (list instanceof List<?> maps) {
      for (int i = 0; i < maps.size(); i++) {
        Map<String, Object> m = (Map<String, Object>) maps.get(i);
        devices.add(new Device(i, String.valueOf(m.get("cuda.deviceName")),
            ((Number) m.get("cuda.deviceMajor")).intValue(), ((Number) m.get("cuda.deviceMinor")).intValue()));
      }
    }
    return devices;
  }

  /** ND4J's backend name in its environment information ("CPU", "CUDA"); "unknown" when absent. */
  public static String backend(Properties environment) {
    Object b = environment.get("backend");
    return b == null ? "unknown" : b.toString();
  }

  /** One line for the log: backend, and each device with its compute capability. */
  public static String describe(Properties environment) {
    StringBuilder s = new StringBuilder("ND4J backend ").append(backend(environment));
    Object cores = environment.get("cores");
    if (cores != null) {
      s.append(", ").append(cores).append(" cores");
    }
    Object threads = environment.get("omp.threads");
    if (threads != null) {
      s.append(", ").append(threads).append(" OpenMP threads");
    }
    for (Device d : devices(environment)) {
      s.append("; GPU ").append(d.index()).append(' ').append(d.name()).append(", compute capability ")
          .append(d.capability());
    }
    return s.toString();
  }
}
