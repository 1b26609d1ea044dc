package org.mixbt.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mixbt.core.backend.BackendCheck.Device;
import org.nd4j.linalg.factory.Nd4j;

class BackendCheckTest {
  private static final List<Integer> SASS = BackendCheck.CUDA_11_6_SASS;

  private static Optional<String> cuda(Device... devices) {
    return BackendCheck.refusal("CUDA", List.of(devices), SASS);
  }

  @Test
  void gpusWithCodeInTheLibraryPass() {
    // Kepler K80 (3.7), Pascal P100 (6.0), Volta V100 (7.0), Turing T4 (7.5), A100 (8.0), A10 (8.6), and
    // Ada L4 (8.9), which runs the sm_86 code (same major, higher minor).
    for (int[] cc : new int[][] {{3, 7}, {5, 2}, {6, 0}, {6, 1}, {7, 0}, {7, 5}, {8, 0}, {8, 6}, {8, 9}}) {
      assertEquals(Optional.empty(), cuda(new Device(0, "gpu", cc[0], cc[1])), cc[0] + "." + cc[1]);
    }
  }

  @Test
  void hopperIsRefusedNamingTheDeviceAndTheSupportedRange() {
    Optional<String> refusal = cuda(new Device(0, "NVIDIA A100-SXM4-40GB", 8, 0),
        new Device(1, "NVIDIA H200", 9, 0));
    assertEquals("Cannot train on GPU 1 NVIDIA H200 (compute capability 9.0): the ND4J CUDA backend has kernels"
        + " for compute capabilities 3.7 to 8.x only and no PTX to compile for newer GPUs (it would crash in its"
        + " first kernel); run on GPUs of those capabilities (e.g. V100 7.0, A100 8.0, A10 8.6, L4 8.9) or with"
        + " the CPU build", refusal.orElseThrow());
  }

  @Test
  void olderAndNewerGpusOutsideTheTargetsAreRefused() {
    // 3.5 is below sm_37 within major 3 (SASS never runs on a lower minor); Blackwell 10.0 and 12.0 are newer.
    for (int[] cc : new int[][] {{3, 5}, {3, 0}, {9, 0}, {10, 0}, {12, 0}, {2, 1}}) {
      Optional<String> r = cuda(new Device(0, "gpu", cc[0], cc[1]));
      assertTrue(r.isPresent() && r.get().contains("(compute capability " + cc[0] + "." + cc[1] + ")"),
          cc[0] + "." + cc[1] + ": " + r);
    }
    assertTrue(cuda(new Device(0, "a", 9, 0), new Device(1, "b", 9, 0)).orElseThrow()
        .startsWith("Cannot train on GPU 0 a (compute capability 9.0), GPU 1 b (compute capability 9.0): "));
  }

  @Test
  void cpuBackendAlwaysPassesAndCudaWithoutDevicesIsRefused() {
    assertEquals(Optional.empty(), BackendCheck.refusal("CPU", List.of(new Device(0, "x", 9, 0)), SASS));
    assertTrue(BackendCheck.refusal("CUDA", List.of(), SASS).orElseThrow().contains("reports no GPU"));
  }

  @Test
  void devicesAreReadFromTheCudaExecutionersEnvironmentProperties() {
    // The shape CudaExecutioner.getEnvironmentInformation() builds (nd4j-cuda-11.6 1.0.0-M2.1 sources).
    Properties env = new Properties();
    env.put("backend", "CUDA");
    List<Map<String, Object>> list = new ArrayList<>();
    list.add(device("NVIDIA A10", 8L, 6L));
    list.add(device("NVIDIA H100 80GB HBM3", 9L, 0L));
    env.put("cuda.devicesInformation", list);
    List<Device> devices = BackendCheck.devices(env);
    assertEquals(List.of(new Device(0, "NVIDIA A10", 8, 6), new Device(1, "NVIDIA H100 80GB HBM3", 9, 0)), devices);
    assertEquals("CUDA", BackendCheck.backend(env));
    assertEquals("ND4J backend CUDA; GPU 0 NVIDIA A10, compute capability 8.6; GPU 1 NVIDIA H100 80GB HBM3,"
        + " compute capability 9.0", BackendCheck.describe(env));
    assertTrue(BackendCheck.refusal(BackendCheck.backend(env), devices, SASS).orElseThrow()
        .startsWith("Cannot train on GPU 1 NVIDIA H100 80GB HBM3 (compute capability 9.0)"));
  }

  @Test
  void theRealCpuBackendOfThisBuildPasses() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    assertEquals("CPU", BackendCheck.backend(env));
    assertTrue(BackendCheck.devices(env).isEmpty());
    assertFalse(BackendCheck.refusal(BackendCheck.backend(env), BackendCheck.devices(env), SASS).isPresent());
    assertTrue(BackendCheck.describe(env).startsWith("ND4J backend CPU, "), BackendCheck.describe(env));
  }

  private static Map<String, Object> device(String name, long major, long minor) {
    Map<String, Object> m = new HashMap<>();
    m.put("cuda.deviceName", name);
    m.put("cuda.deviceMajor", major);
    m.put("cuda.deviceMinor", minor);
    m.put("cuda.totalMemory", 1L << 34);
    return m;
  }
}
