package org.mixbt.prep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A split's images in split-file order; an image listed twice is an error naming the file and line. */
final class SplitCollector {
  private final List<EncodedImageSource.ImageFile> files = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  void add(EncodedImageSource.ImageFile file, AnnotationFile list, AnnotationFile.Line line) {
    if (!names.add(file.name())) {
      throw list.error(line, "image listed twice", file.name());
    }
    files.add(file);
  }

  List<EncodedImageSource.ImageFile> files() {
    return List.copyOf(files);
  }
}
