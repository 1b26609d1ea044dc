package org.mixbt.prep;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;
import org.mixbt.prep.cli.UsageException;

/** {@code PrepJob imagefolder}: {@code <split>/<class>/<file>} trees as torchvision's ImageFolder ({@link ImageFolderSource}). */
public final class ImageFolderCommand extends EncodedSourceCommand {
  @Override
  public String name() {
    return "imagefolder";
  }

  @Override
  public String summary() {
    return "ImageFolder trees <root>/{train,val,test}/<class>/<image> (ImageNet as commonly laid out), distributed";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.optional("--input", "ROOT", "", "a root holding train/ and optionally val/ and test/"),
        PrepOption.optional("--train", "DIR", "", "the train split's root (instead of --input)"),
        PrepOption.optional("--val", "DIR", "", "the val split's root (with --train)"),
        PrepOption.optional("--test", "DIR", "", "the test split's root (with --train)"),
        PrepOption.required("--dataset", "NAME", "dataset name written to the manifest, e.g. imagenet"));
  }

  @Override
  protected void checkOptions(PrepOptions o) {
    boolean root = !o.string("--input").isEmpty();
    boolean splits = List.of("--train", "--val", "--test").stream().anyMatch(s -> !o.string(s).isEmpty());
    if (root == splits || !root && o.string("--train").isEmpty()) {
      throw new UsageException("give either --input ROOT or --train DIR [--val DIR] [--test DIR]");
    }
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    String dataset = o.string("--dataset");
    String root = o.string("--input");
    Map<String, String> roots = new LinkedHashMap<>();
    for (String split : List.of("train", "val", "test")) {
      if (!o.string("--" + split).isEmpty()) {
        roots.put(split, o.string("--" + split));
      }
    }
    return root.isEmpty() ? new ImageFolderSource(dataset, roots, conf) : ImageFolderSource.ofRoot(dataset, root, conf);
  }
}
