package org.mixbt.core.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The torch.save files of src/test/resources/pytorch (written by make_pth_fixtures.py there), as local files. */
public final class TorchFixtures {
  private TorchFixtures() {}

  /** Copies classpath resource {@code pytorch/<name>} into {@code dir} (it may live in a jar). */
  public static Path copy(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = TorchFixtures.class.getResourceAsStream("/pytorch/" + name)) {
      if (in == null) {
        throw new IOException("no test resource pytorch/" + name);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
