package org.mixbt.core.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.mixbt.core.augment.ViewAugmenter;
import org.mixbt.core.augment.ViewRandom;
import org.mixbt.core.augment.ViewRecipe;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.shard.ShardRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns the N records of one step into the network's MultiDataSet: inputs view1, view2 and (when mixing)
 * {@code mixed = a·view1 + (1−a)·view2[p]} in normalised pixel space, as the original mixes its
 * normalised input tensors; labels are the step's {@link StepLabels}. View v of record r in epoch e is
 * drawn from {@link ViewRandom#forView}(seed, e, r.id, v), so the batch does not depend on where it is built,
 * nor on how many threads build it: with {@code threads > 1} the records of a batch are decoded and augmented
 * in parallel on a pool shared by the JVM (each record writes its own rows; scratch space is per thread).
 */
public final class ViewBatchAssembler implements Serializable {
  private static final long serialVersionUID = 1L;
  private final ViewAugmenter augmenter;
  private final ViewAugmenter augmenter2;
  private final boolean mixing;
  private final long seed;
  private final int threads;
  /** One pool per size per JVM: the assembler is shipped to executors by value, the pool stays there. */
  private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

  /** Both views from one recipe (the small-data datasets). */
  public ViewBatchAssembler(ViewAugmenter augmenter, boolean mixing, long seed) {
    this(augmenter, augmenter, mixing, seed);
  }

  /** View 1 and view 2 from their own recipes (ImageNet's asymmetric pair); both must give one shape. */
  public ViewBatchAssembler(ViewAugmenter view1, ViewAugmenter view2, boolean mixing, long seed) {
    this(view1, view2, mixing, seed, 1);
  }

  private ViewBatchAssembler(ViewAugmenter view1, ViewAugmenter view2, boolean mixing, long seed, int threads) {
    if (view1.outputChannels() != view2.outputChannels() || view1.outputHeight() != view2.outputHeight()
        || view1.outputWidth() != view2.outputWidth()) {
      throw new IllegalArgumentException("Cannot pair views of different shapes: " + view1.outputChannels() + "x"
          + view1.outputHeight() + "x" + view1.outputWidth() + " and " + view2.outputChannels() + "x"
          + view2.outputHeight() + "x" + view2.outputWidth());
    }
    this.augmenter = view1;
    this.augmenter2 = view2;
    this.mixing = mixing;
    this.seed = seed;
    if (threads < 1) {
      throw new IllegalArgumentException("Cannot build batches with " + threads + " threads: at least 1");
    }
    this.threads = threads;
  }

  /** The same assembler decoding and augmenting each batch's records on {@code threads} threads. */
  public ViewBatchAssembler withThreads(int threads) {
    return new ViewBatchAssembler(augmenter, augmenter2, mixing, seed, threads);
  }

  /** The views of {@code recipe}. */
  public static ViewBatchAssembler of(ViewRecipe recipe, boolean mixing, long seed) {
    return new ViewBatchAssembler(recipe.augmenter(0), recipe.augmenter(1), mixing, seed);
  }

  public MultiDataSet assemble(int epoch, long step, List<ImageRecord> records) {
    return assemble(epoch, step, records.size(), records::get);
  }

  /** The same from shard rows as stored: encoded images are decoded here, by the threads that augment them. */
  public MultiDataSet assembleStored(int epoch, long step, List<ShardRecord> rows) {
    return assemble(epoch, step, rows.size(), i -> rows.get(i).decode());
  }

  private MultiDataSet assemble(int epoch, long step, int n, IntFunction<ImageRecord> recordAt) {
    int length = augmenter.outputLength();
    float[] view1 = new float[n * length];
    float[] view2 = new float[n * length];
    forEachRecord(n, i -> {
      ImageRecord r = recordAt.apply(i);
      augmenter.augment(r.pixels(), r.height(), r.width(), ViewRandom.forView(seed, epoch, r.id(), 0), view1, i * length);
      augmenter2.augment(r.pixels(), r.height(), r.width(), ViewRandom.forView(seed, epoch, r.id(), 1), view2, i * length);
    });
    long[] shape = {n, augmenter.outputChannels(), augmenter.outputHeight(), augmenter.outputWidth()};
    MixingDraw draw = MixingDraw.draw(seed, epoch, step, n);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), step).toArray();
    INDArray x1 = Nd4j.create(view1, shape, DataType.FLOAT);
    INDArray x2 = Nd4j.create(view2, shape, DataType.FLOAT);
    if (!mixing) {
      return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2}, new INDArray[] {labels});
    }
    float[] mixed = mix(view1, view2, draw, length);
    INDArray xm = Nd4j.create(mixed, shape, DataType.FLOAT);
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2, xm}, new INDArray[] {labels});
  }

  private void forEachRecord(int n, IntConsumer body) {
    if (threads == 1 || n < 2) {
      IntStream.range(0, n).forEach(body);
      return;
    }
    ExecutorService pool = POOLS.computeIfAbsent(threads, t -> Executors.newFixedThreadPool(t, daemonThreads()));
    List<Future<?>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      // Record i goes to thread i mod threads: equal work whatever n is.
      parts.add(pool.submit(() -> {
        for (int i = first; i < n; i += threads) {
          body.accept(i);
        }
      }));
    }
    for (Future<?> part : parts) {
      try {
        part.get();
      } catch (ExecutionException e) {
        // The record's own error (e.g. an undecodable row named by its source), not a pool wrapper.
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while building a batch", e);
      }
    }
  }

  private static ThreadFactory daemonThreads() {
    return task -> {
      Thread t = new Thread(task, "mixbt-batch-builder");
      t.setDaemon(true);
      return t;
    };
  }

  /** mixed[i] = a·view1[i] + (1−a)·view2[p[i]], row by row. */
  static float[] mix(float[] view1, float[] view2, MixingDraw draw, int length) {
    float a = (float) draw.alpha();
    int[] p = draw.permutation();
    float[] mixed = new float[view1.length];
    for (int i = 0; i < p.length; i++) {
      int dst = i * length;
      int src = p[i] * length;
      for (int k = 0; k < length; k++) {
        mixed[dst + k] = a * view1[dst + k] + (1 - a) * view2[src + k];
      }
    }
    return mixed;
  }
}
