package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendStartupTest {
  @Test
  void theCpuBackendOfThisBuildStartsAndIsLogged() {
    String line = BackendStartup.verify();
    assertTrue(line.startsWith("ND4J backend CPU, " + Runtime.getRuntime().availableProcessors() + " cores, "), line);
    assertTrue(line.endsWith("; 1 device(s) for ND4J"), line);
  }

  @Test
  void aBackendThatDoesNotLoadIsOneLineWithItsCauses() {
    // What ND4J throws when no backend's native library loads, e.g. the CUDA jar on a node without CUDA.
    RuntimeException e = new RuntimeException("org.nd4j.linalg.factory.Nd4jBackend$NoAvailableBackendException:"
        + " Please ensure that you have an nd4j backend on your classpath.",
        new UnsatisfiedLinkError("no jnind4jcuda in java.library.path\nsecond line"));
    assertEquals("Cannot start the ND4J backend: org.nd4j.linalg.factory.Nd4jBackend$NoAvailableBackendException:"
        + " Please ensure that you have an nd4j backend on your classpath.: no jnind4jcuda in java.library.path"
        + " second line (the CUDA build needs a GPU and the CUDA 11.6 runtime with cuDNN 8.3 on every node; the CPU"
        + " build needs neither)", BackendStartup.loadFailure(e));
  }

  @Test
  void nd4jsOwnWrappingIsNotRepeated() {
    // The chain seen with the CUDA jar on a machine without CUDA: Nd4j's static initialiser failing with a
    // RuntimeException whose message is its cause's text.
    Exception none = new Exception("Please ensure that you have an nd4j backend on your classpath.");
    Error e = new ExceptionInInitializerError(new RuntimeException(none.toString(), none));
    assertEquals("Cannot start the ND4J backend: java.lang.Exception: Please ensure that you have an nd4j backend on"
        + " your classpath. (the CUDA build needs a GPU and the CUDA 11.6 runtime with cuDNN 8.3 on every node; the"
        + " CPU build needs neither)", BackendStartup.loadFailure(e));
  }

  @Test
  void aKernelWithoutImageForTheGpuNamesTheSupportedRange() {
    RuntimeException e = new RuntimeException("cudaErrorNoKernelImageForDevice: no kernel image is available for"
        + " execution on the device");
    assertEquals("Cannot start the ND4J CUDA backend: the GPU has no kernel image in it (cudaErrorNoKernelImageForDevice:"
        + " no kernel image is available for execution on the device); the backend has kernels for compute"
        + " capabilities 3.7 to 8.x only", BackendStartup.loadFailure(e));
  }
}
