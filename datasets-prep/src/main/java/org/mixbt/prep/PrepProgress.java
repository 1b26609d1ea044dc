package org.mixbt.prep;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of a long conversion: records done out of an expected total (0 if unknown), rate and ETA,
 * printed at most once per interval. Thread-safe, so several reader threads can report into one instance.
 */
public final class PrepProgress {
  private final String what;
  private final long total;
  private final PrintStream out;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final long start;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong lastPrint;

  /** {@code what} names the work ("cifar-10 train"); {@code total} is the expected record count, 0 if unknown. */
  public PrepProgress(String what, long total, PrintStream out, double intervalSeconds) {
    this(what, total, out, intervalSeconds, System::nanoTime);
  }

  PrepProgress(String what, long total, PrintStream out, double intervalSeconds, LongSupplier clock) {
    this.what = what;
    this.total = total;
    this.out = out;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.clock = clock;
    this.start = clock.getAsLong();
    this.lastPrint = new AtomicLong(start);
  }

  /** Counts {@code records} more records of {@code byteCount} input bytes; prints when the interval has passed. */
  public void add(long records, long byteCount) {
    done.addAndGet(records);
    bytes.addAndGet(byteCount);
    long now = clock.getAsLong();
    long last = lastPrint.get();
    if (now - last >= intervalNanos && lastPrint.compareAndSet(last, now)) {
      out.println(line(now));
    }
  }

  /** Prints the final line (always). */
  public void finish() {
    out.println(line(clock.getAsLong()) + " done");
  }

  public long done() {
    return done.get();
  }

  String line(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    long n = done.get();
    double rate = n / seconds;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %d", what, n));
    if (total > 0) {
      s.append(String.format(Locale.ROOT, "/%d (%.1f%%)", total, 100.0 * n / total));
    }
    s.append(String.format(Locale.ROOT, " records, %.0f records/s, %.1f MB/s, %.0f s elapsed", rate,
        bytes.get() / 1e6 / seconds, seconds));
    if (total > 0 && n > 0 && n < total) {
      s.append(String.format(Locale.ROOT, ", ETA %.0f s", (total - n) / rate));
    }
    return s.toString();
  }
}
