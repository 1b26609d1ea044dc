package org.mixbt.prep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixbt.prep.IdxCommand;

/** Strict option parsing, on the idx command's real declarations (source options + the shared output options). */
class PrepOptionsTest {
  static final List<PrepOption> IDX = new IdxCommand().options();

  @Test
  void defaultsAndAllOptions() {
    PrepOptions a = parse("--input", "in", "--output", "hdfs://nn/x", "--dataset", "mnist");
    assertEquals(Path.of("in"), a.path("--input"));
    assertEquals(new ShardOutput("hdfs://nn/x", 4, 0, false, null), ShardOutput.from(a));
    PrepOptions b = parse("--dataset", "fashion-mnist", "--input", "in", "--output", "o", "--shards", "8", "--seed",
        "-3", "--overwrite", "--master", "local[2]");
    assertEquals(new ShardOutput("o", 8, -3, true, "local[2]"), ShardOutput.from(b));
    assertEquals("fashion-mnist", b.oneOf("--dataset", List.of("fashion-mnist", "mnist")));
    assertTrue(b.flag("--overwrite"));
    assertFalse(a.flag("--overwrite"));
    assertNull(a.string("--master"));
  }

  @Test
  void badArgumentsSayWhy() {
    assertEquals("missing required option --output", error("--input", "in", "--dataset", "mnist"));
    assertEquals("missing value for --input", error("--input", "--output", "o", "--dataset", "mnist"));
    assertEquals("missing value for --dataset", error("--input", "i", "--output", "o", "--dataset"));
    assertEquals("unknown argument: --shard", error("--shard", "3"));
    assertEquals("unknown argument: stray", error("--input", "i", "stray"));
    assertEquals("option given twice: --input", error("--input", "i", "--input", "j"));
    assertEquals("--shards must be at least 1: 0", valueError("--shards", "0"));
    assertEquals("not an integer for --shards: zero", valueError("--shards", "zero"));
    assertEquals("not an integer for --seed: 1.5", valueError("--seed", "1.5"));
    assertEquals("--shards must be at least 1 and fit an int: 4294967296", valueError("--shards", "4294967296"));
    PrepOptions o = parse("--input", "i", "--output", "o", "--dataset", "kmnist");
    assertEquals("unknown value for --dataset: kmnist (known: fashion-mnist, mnist)",
        assertThrows(UsageException.class, () -> o.oneOf("--dataset", List.of("fashion-mnist", "mnist"))).getMessage());
    // Asking for an undeclared option is a bug in the command, not a usage error.
    assertThrows(IllegalStateException.class, () -> o.string("--nope"));
  }

  @Test
  void declarationsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> PrepOption.flag("input", "no dashes"));
    assertThrows(IllegalArgumentException.class, () -> new PrepOption("--x", "X", true, "1", "required with a default"));
  }

  private static PrepOptions parse(String... args) {
    return PrepOptions.parse(IDX, List.of(args));
  }

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  private static String valueError(String option, String value) {
    return assertThrows(UsageException.class,
        () -> ShardOutput.from(parse("--input", "i", "--output", "o", "--dataset", "mnist", option, value))).getMessage();
  }
}
