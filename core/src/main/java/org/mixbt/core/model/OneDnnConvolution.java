package org.mixbt.core.model;

import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Configuration of a bias-free 2-D convolution (NCHW, square kernel, dilation 1) that runs through
 * libnd4j's {@code conv2d} / {@code conv2d_bp} ops, which the oneDNN build of ND4J executes with oneDNN.
 *
 * <p>Why not DL4J's {@code ConvolutionLayer}: in 1.0.0-M2.1 it never reaches oneDNN (its helper probe
 * looks for a class that does not exist) and falls back to im2col + gemm at about 3 GFLOP/s; the op
 * route measured 113 GFLOP/s forward on this project's 2-core machines (see README, "Speed").
 * Weights are stored as [out, in, kH, kW] like PyTorch, so imported checkpoints need no transpose.
 */
public class OneDnnConvolution extends NativeOpLayer {
  private int kernel = 3;
  private int stride = 1;
  private int padding = 1;

  /** For JSON deserialisation only. */
  public OneDnnConvolution() {
  }

  public OneDnnConvolution(long nIn, long nOut, int kernel, int stride, int padding) {
    this.nIn = nIn;
    this.nOut = nOut;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  protected OneDnnConvolutionLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new OneDnnConvolutionLayer(conf, dataType);
  }

  @Override
  public ParamInitializer initializer() {
    return ConvolutionWeightInitializer.INSTANCE;
  }

  /** Output side for an input side, as PyTorch's Conv2d computes it. */
  public long outputSize(long inputSize) {
    return (inputSize + 2L * padding - kernel) / stride + 1;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeConvolutional)) {
      throw new IllegalStateException("Cannot configure convolution " + getLayerName()
          + ": expected convolutional (NCHW) input, got " + inputType);
    }
    InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) inputType;
    return InputType.convolutional(outputSize(in.getHeight()), outputSize(in.getWidth()), nOut);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (nIn <= 0 || override) {
      nIn = ((InputType.InputTypeConvolutional) inputType).getChannels();
    }
  }

  public int getKernel() {
    return kernel;
  }

  public void setKernel(int kernel) {
    this.kernel = kernel;
  }

  public int getStride() {
    return stride;
  }

  public void setStride(int stride) {
    this.stride = stride;
  }

  public int getPadding() {
    return padding;
  }

  public void setPadding(int padding) {
    this.padding = padding;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OneDnnConvolution) || !super.equals(o)) {
      return false;
    }
    OneDnnConvolution other = (OneDnnConvolution) o;
    return kernel == other.kernel && stride == other.stride && padding == other.padding;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), kernel, stride, padding);
  }
}
