package org.mixbt.core.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The torch.save files of the test resources (pytorch/, written by make_pth_fixtures.py there), as local files. */
public final class TorchFixtures {
  private TorchFixtures() {}

  /** Copies classpath resource {@code pytorch/<name>} into {@code dir} (it may live in a jar). */
  public static Path copy(String name, Path dir) throws IOException {
    return copyResource("pytorch/" + name, dir);
  }

  /** Copies classpath resource {@code resource} (a path from the classpath root) into {@code dir}. */
  public static Path copyResource(String resource, Path dir) throws IOException {
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = TorchFixtures.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IOException("no test resource " + resource);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
