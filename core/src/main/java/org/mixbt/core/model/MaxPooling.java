package org.mixbt.core.model;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Square max-pooling (NCHW) with PyTorch's {@code MaxPool2d} semantics: padded positions never win (as
 * −∞ padding), output side {@code floor((n + 2p − k) / s) + 1}. Runs libnd4j's {@code maxpool2d} /
 * {@code maxpool2d_bp} ops (oneDNN in the oneDNN build); {@code MaxPoolingTest} checks the padding
 * semantics on all-negative input, where zero padding would give a different answer.
 */
public class MaxPooling extends NoParamLayer {
  private int kernel = 3;
  private int stride = 2;
  private int padding = 1;

  /** For JSON deserialisation only. */
  public MaxPooling() {
  }

  public MaxPooling(int kernel, int stride, int padding) {
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray paramsView, boolean initializeParams, DataType dataType) {
    MaxPoolingLayer layer = new MaxPoolingLayer(conf, dataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(paramsView);
    layer.setConf(conf);
    return layer;
  }

  /** Output side for an input side, as PyTorch's MaxPool2d (ceil_mode=False) computes it. */
  public long outputSize(long inputSize) {
    return (inputSize + 2L * padding - kernel) / stride + 1;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeConvolutional)) {
      throw new IllegalStateException("Cannot configure max-pooling " + getLayerName()
          + ": expected convolutional (NCHW) input, got " + inputType);
    }
    InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) inputType;
    return InputType.convolutional(outputSize(in.getHeight()), outputSize(in.getWidth()), in.getChannels());
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return null;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
        .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
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
    if (!(o instanceof MaxPooling) || !super.equals(o)) {
      return false;
    }
    MaxPooling other = (MaxPooling) o;
    return kernel == other.kernel && stride == other.stride && padding == other.padding;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), kernel, stride, padding);
  }
}
