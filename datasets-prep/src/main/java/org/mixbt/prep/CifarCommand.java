package org.mixbt.prep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;
import org.mixbt.prep.cli.ShardJob;
import org.mixbt.prep.cli.SourceCommand;

/**
 * {@code PrepJob cifar}: CIFAR-10 or CIFAR-100 from either publisher distribution, the binary one
 * ({@link CifarBinarySource}) or the python-pickle one torchvision downloads ({@link CifarPythonSource}).
 */
public final class CifarCommand extends SourceCommand {
  static final List<String> DATASETS = List.of("cifar-10", "cifar-100");
  static final List<String> DISTRIBUTIONS = List.of("binary", "python");

  @Override
  public String name() {
    return "cifar";
  }

  @Override
  public String summary() {
    return "CIFAR-10/100 from cifar-{10,100}-{binary,python}.tar.gz or their extracted folders";
  }

  @Override
  protected List<PrepOption> sourceOptions() {
    return List.of(
        PrepOption.required("--input", "PATH", "the publisher's .tar.gz, or the folder it extracts to"),
        PrepOption.required("--dataset", "NAME", "cifar-10 or cifar-100 (CIFAR-100 keeps fine and coarse labels)"),
        PrepOption.optional("--distribution", "KIND", "binary",
            "binary (cifar-*-binary.tar.gz) or python (cifar-*-python.tar.gz, read by a restricted unpickler)"));
  }

  @Override
  protected ShardJob job(PrepOptions o) {
    String dataset = o.oneOf("--dataset", DATASETS);
    boolean python = o.oneOf("--distribution", DISTRIBUTIONS).equals("python");
    try {
      // Constructed here, before Spark starts: a missing member or a bad archive is reported at once.
      return ShardJob.of(python ? new CifarPythonSource(o.path("--input"), dataset, System.out)
          : new CifarBinarySource(o.path("--input"), dataset, System.out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
