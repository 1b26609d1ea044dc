package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * The German Traffic Sign Recognition Benchmark (final training and test sets) as published: a folder holding
 * what {@code GTSRB_Final_Training_Images.zip}, {@code GTSRB_Final_Test_Images.zip} and
 * {@code GTSRB_Final_Test_GT.zip} extract to ({@code GTSRB/Final_Training/Images/<00000..00042>/*.ppm} with
 * {@code GT-<class>.csv} per folder, {@code GTSRB/Final_Test/Images/*.ppm}, {@code GT-final_test.csv}), any of
 * them possibly still zipped (then staged). The CSVs are semicolon-separated with the header
 * {@code Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId}. Classes are the numbered class folders
 * (0, 1, …, named by their ClassId); train ids follow (class, CSV order), test ids the test CSV's order.
 * PPM bytes are stored as they are; the region of interest is not cropped (torchvision does not crop either).
 *
 * <p>A CSV row naming a missing image or an unknown class, a train row whose ClassId is not its folder's,
 * a malformed row or header is an error naming the CSV and line.
 */
public final class GtsrbSource implements EncodedImageSource {
  private static final String TRAIN = "GTSRB/Final_Training/Images";
  private static final String TEST = "GTSRB/Final_Test/Images";
  private static final String TEST_GT = "GT-final_test.csv";
  private static final String HEADER = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId";
  private final PublisherDownload download;
  private final Configuration conf;
  private List<String> classes;

  /** {@code input}: the folder holding the extracted (or zipped) training images, test images and test labels. */
  public GtsrbSource(String input, Configuration conf) throws IOException {
    this.download = new PublisherDownload(input, List.of(
        new PublisherDownload.Part("GTSRB_Final_Training_Images.zip", TRAIN, n -> n.startsWith(TRAIN + "/")),
        new PublisherDownload.Part("GTSRB_Final_Test_Images.zip", TEST, n -> n.startsWith(TEST + "/")),
        new PublisherDownload.Part("GTSRB_Final_Test_GT.zip", TEST_GT, n -> n.equals(TEST_GT))), false, conf);
    this.conf = conf;
    if (download.extracted()) {
      classes = classFolders(download.root(0));
    }
  }

  @Override
  public String dataset() {
    return "gtsrb";
  }

  @Override
  public List<String> classNames() {
    if (classes == null) {
      throw new IllegalStateException("Cannot name GTSRB classes before the training zip is read: " + download.input());
    }
    List<String> names = new ArrayList<>();
    for (String c : classes) {
      names.add(Integer.toString(Integer.parseInt(c)));
    }
    return names;
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test");
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    if (classes == null) {
      classes = classFolders(download.root(0, staged, staging));
    }
    return switch (split) {
      case "train" -> train();
      case "test" -> test(download.root(1, staged, staging), download.root(2, staged, staging));
      default -> throw new IllegalArgumentException("Cannot read GTSRB: unknown split: " + split);
    };
  }

  private SplitFiles train() throws IOException {
    Path root = download.root(0);
    FileSystem fs = root.getFileSystem(conf);
    ImageIndex index = new ImageIndex(fs, root, TRAIN);
    SplitCollector images = new SplitCollector();
    List<ShardManifest.SourceFile> sources = new ArrayList<>();
    for (int label = 0; label < classes.size(); label++) {
      String folder = TRAIN + "/" + classes.get(label) + "/";
      AnnotationFile csv = AnnotationFile.read(fs, root, folder + "GT-" + classes.get(label) + ".csv");
      sources.add(csv.description());
      for (AnnotationFile.Line line : rows(csv)) {
        String[] f = csv.fields(line, ";", 8, HEADER);
        if (classId(csv, line, f[7]) != label) {
          throw csv.error(line, "ClassId is not the folder's class " + label, f[7]);
        }
        images.add(index.file(folder + f[0], label, csv, line), csv, line);
      }
    }
    List<ImageFile> files = images.files();
    sources.add(0, download.archive(0) != null ? download.archive(0) : index.describe(TRAIN + "/", files));
    return new SplitFiles(files, List.of(index.folder()), sources);
  }

  private SplitFiles test(Path imageRoot, Path gtRoot) throws IOException {
    ImageIndex index = new ImageIndex(imageRoot.getFileSystem(conf), imageRoot, TEST);
    AnnotationFile csv = AnnotationFile.read(gtRoot.getFileSystem(conf), gtRoot, TEST_GT);
    SplitCollector images = new SplitCollector();
    for (AnnotationFile.Line line : rows(csv)) {
      String[] f = csv.fields(line, ";", 8, HEADER);
      int label = classId(csv, line, f[7]);
      if (label >= classes.size()) {
        throw csv.error(line, "unknown ClassId (training classes are 0.." + (classes.size() - 1) + ")", f[7]);
      }
      images.add(index.file(TEST + "/" + f[0], label, csv, line), csv, line);
    }
    List<ImageFile> files = images.files();
    List<ShardManifest.SourceFile> sources = new ArrayList<>();
    sources.add(download.archive(1) != null ? download.archive(1) : index.describe(TEST + "/", files));
    sources.add(download.archive(2) != null ? download.archive(2) : csv.description());
    return new SplitFiles(files, List.of(index.folder()), sources);
  }

  /** The CSV's data lines, after checking its header. */
  private static List<AnnotationFile.Line> rows(AnnotationFile csv) {
    if (csv.lines().isEmpty() || !csv.lines().get(0).text().equals(HEADER)) {
      AnnotationFile.Line first = csv.lines().isEmpty() ? new AnnotationFile.Line(1, "") : csv.lines().get(0);
      throw csv.error(first, "malformed header, expected " + HEADER, first.text());
    }
    return csv.lines().subList(1, csv.lines().size());
  }

  private static int classId(AnnotationFile csv, AnnotationFile.Line line, String value) {
    try {
      int id = Integer.parseInt(value.strip());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw csv.error(line, "malformed ClassId", value);
  }

  /** The numbered class folders 00000, 00001, … in order; a gap or a stray folder name is an error. */
  private List<String> classFolders(Path root) throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    Path images = new Path(root, TRAIN);
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(images)) {
      if (s.isDirectory()) {
        names.add(s.getPath().getName());
      }
    }
    names.sort(Comparator.naturalOrder());
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).equals(String.format("%05d", i))) {
        throw DatasetFormatException.of(images, "class folders must be 00000, 00001, …; expected "
            + String.format("%05d", i), names.get(i));
      }
    }
    if (names.isEmpty()) {
      throw DatasetFormatException.of(images, "no class folders", "empty folder");
    }
    return names;
  }
}
