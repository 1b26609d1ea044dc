package org.mixbt.job.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ProjectorKind;
import org.mixbt.core.model.ResNetDepth;
import org.mixbt.core.model.Stem;
import org.mixbt.core.train.MixingDraw;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of one optimiser step (three views forward, Mixed Barlow Twins loss, backward,
 * Adam) on random 3×32×32 inputs, measured the way {@code shared/golden/bench_pytorch_cpu.json} measured
 * the original: images/s = batch / median step time, each image counted once per step.
 * Usage: {@code TrainingBenchmark [[resnet18|resnet50:]width:batch:d[:plain]]...} (CIFAR stem, projector
 * hidden 512), default the demo network and width 64.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {
  }

  public static void main(String[] args) {
    String[] cases = args.length > 0 ? args : new String[] {"16:64:1024", "16:128:1024", "64:128:1024"};
    System.out.printf(Locale.ROOT, "threads=%s backend=%s%n", System.getenv("OMP_NUM_THREADS"),
        Nd4j.getExecutioner().getClass().getSimpleName());
    for (String c : cases) {
      String[] p = c.split(":");
      ResNetDepth depth = p[0].startsWith("resnet") ? ResNetDepth.valueOf(p[0].toUpperCase(Locale.ROOT)) : ResNetDepth.RESNET18;
      int at = p[0].startsWith("resnet") ? 1 : 0;
      run(depth, Integer.parseInt(p[at]), Integer.parseInt(p[at + 1]), Integer.parseInt(p[at + 2]), p.length < at + 4);
    }
  }

  private static void run(ResNetDepth depth, int width, int batch, int d, boolean mixing) {
    NetworkSpec spec = new NetworkSpec(depth, Stem.CIFAR, width, 3, 32, ProjectorKind.SMALL, List.of(512), d, mixing);
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(0.0078125, 4.0, mixing, DegenerateBatchPolicy.FAIL);
    ComputationGraph net = MixedBarlowTwinsNetwork.training(spec, new OptimizerSpec(1e-3, 1e-6, false, 0, 0, 0), loss);
    MultiDataSet data = randomBatch(spec, batch);
    int warmup = 2;
    int measured = width >= 64 ? 5 : 10;
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < warmup + measured; i++) {
      long t = System.nanoTime();
      net.fit(data);
      double s = (System.nanoTime() - t) / 1e9;
      if (i >= warmup) {
        times.add(s);
      }
    }
    Collections.sort(times);
    double median = times.get(times.size() / 2);
    System.out.printf(Locale.ROOT, "%s width %d batch %d d %d %s: median step %.3f s (min %.3f) -> %.1f images/s, %d params%n",
        depth.name().toLowerCase(Locale.ROOT), width, batch, d, mixing ? "mixed" : "plain", median, times.get(0), batch / median, net.numParams());
  }

  private static MultiDataSet randomBatch(NetworkSpec spec, int n) {
    long[] shape = {n, 3, 32, 32};
    INDArray x1 = Nd4j.randn(DataType.FLOAT, shape);
    INDArray x2 = Nd4j.randn(DataType.FLOAT, shape);
    MixingDraw draw = MixingDraw.draw(0, 0, 0, n);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), 0).toArray();
    INDArray[] views = spec.mixing() ? new INDArray[] {x1, x2, x1.mul(draw.alpha()).addi(x2.mul(1 - draw.alpha()))}
        : new INDArray[] {x1, x2};
    return new org.nd4j.linalg.dataset.MultiDataSet(views, new INDArray[] {labels});
  }
}
