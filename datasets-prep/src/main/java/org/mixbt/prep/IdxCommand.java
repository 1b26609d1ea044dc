package org.mixbt.prep;

import java.util.List;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;
import org.mixbt.prep.cli.ShardJob;
import org.mixbt.prep.cli.SourceCommand;

/** {@code PrepJob idx}: MNIST or Fashion-MNIST from the publisher's IDX files ({@link IdxSource}). */
public final class IdxCommand extends SourceCommand {
  static final List<String> DATASETS = List.of("fashion-mnist", "mnist");

  @Override
  public String name() {
    return "idx";
  }

  @Override
  public String summary() {
    return "MNIST / Fashion-MNIST from train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz] in one directory";
  }

  @Override
  protected List<PrepOption> sourceOptions() {
    return List.of(
        PrepOption.required("--input", "DIR", "local directory holding the four IDX files, gzipped or plain"),
        PrepOption.required("--dataset", "NAME", "fashion-mnist or mnist (sets the class names)"));
  }

  @Override
  protected ShardJob job(PrepOptions o) {
    return ShardJob.of(new IdxSource(o.path("--input"), o.oneOf("--dataset", DATASETS)));
  }
}
