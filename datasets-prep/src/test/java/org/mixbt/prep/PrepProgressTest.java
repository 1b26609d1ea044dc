package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PrepProgressTest {
  @Test
  void printsRateAndEtaAtMostOncePerInterval() {
    AtomicLong now = new AtomicLong(0);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrepProgress p = new PrepProgress("cifar-10 train", 1000, new PrintStream(buf, true, StandardCharsets.UTF_8),
        1.0, now::get);
    now.set(500_000_000L);
    p.add(100, 1_000_000);
    assertEquals("", buf.toString(StandardCharsets.UTF_8), "nothing before the interval");
    now.set(2_000_000_000L);
    p.add(100, 1_000_000);
    assertEquals("cifar-10 train: 200/1000 (20.0%) records, 100 records/s, 1.0 MB/s, 2 s elapsed, ETA 8 s\n",
        buf.toString(StandardCharsets.UTF_8));
    p.add(800, 0);
    p.finish();
    assertEquals(2, buf.toString(StandardCharsets.UTF_8).lines().count());
  }
}
