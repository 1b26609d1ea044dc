package org.mixbt.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mixbt.core.augment.GreyscaleViewAugmenter;
import org.mixbt.core.augment.GreyscaleViewSettings;
import org.mixbt.core.data.image.ImageFixtures;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardRecord;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Building a batch on several threads gives the very same batch; a bad row's own error comes through. */
class ViewBatchThreadsTest {
  @Test
  void threadsDoNotChangeTheBatch() {
    List<ShardRecord> rows = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      byte[] pixels = new byte[28 * 28];
      for (int k = 0; k < pixels.length; k++) {
        pixels[k] = (byte) (k * 7 + i * 31);
      }
      rows.add(ShardRecord.raw(100 + i, i % 10, -1, pixels, 28, 28, 1, "idx"));
    }
    ViewBatchAssembler one = new ViewBatchAssembler(new GreyscaleViewAugmenter(GreyscaleViewSettings.fashionMnist()),
        true, 5);
    MultiDataSet a = one.assembleStored(2, 9, rows);
    MultiDataSet b = one.withThreads(4).assembleStored(2, 9, rows);
    for (int v = 0; v < 3; v++) {
      assertArrayEquals(a.getFeatures(v).data().asFloat(), b.getFeatures(v).data().asFloat(), 0f, "view " + v);
    }
    assertArrayEquals(a.getLabels(0).data().asFloat(), b.getLabels(0).data().asFloat(), 0f);
  }

  @Test
  void aRowThatDoesNotDecodeFailsWithItsOwnMessage() {
    byte[] png = ImageFixtures.encode(ImageFixtures.rgb(10, 12, 1), "png");
    List<ShardRecord> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(i == 2
          // Row 2 claims a size its bytes do not have.
          ? new ShardRecord(i, 0, -1, "png", png, 11, 12, 3, "cls/2.png")
          : ShardRecord.raw(i, 0, -1, new byte[28 * 28], 28, 28, 1, "idx"));
    }
    ViewBatchAssembler threads = new ViewBatchAssembler(new GreyscaleViewAugmenter(GreyscaleViewSettings.fashionMnist()),
        true, 5).withThreads(3);
    ShardFormatException e = assertThrows(ShardFormatException.class, () -> threads.assembleStored(0, 0, rows));
    assertEquals("Cannot read shard row cls/2.png: decoded image does not match its row: png 10x12, row says png 11x12",
        e.getMessage());
  }
}
