package dev.weft.artifacts;

import dev.weft.artifacts.lazy.LazyFileSystems;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A read-only directory whose files are objects of a {@link RangeReadable} store, read by range as
 * they are read: nothing is downloaded up front. Give {@link #root()} to a WASI sandbox as a
 * preopened directory and the guest reads a large input without it ever being copied whole.
 */
public final class LazyDirectory implements Closeable {
  /** Default bytes fetched per range request (and kept per open file). */
  public static final int DEFAULT_READ_AHEAD = 1 << 20;

  private final LazyFileSystems.Handle fs;

  private LazyDirectory(LazyFileSystems.Handle fs) {
    this.fs = fs;
  }

  /**
   * @param files file name (no '/') → object key; sizes are looked up now (one HEAD each)
   * @param readAhead bytes per range request, 4 KiB to 64 MiB
   */
  public static LazyDirectory open(RangeReadable store, Map<String, String> files, int readAhead)
      throws IOException {
    if (readAhead < 4096 || readAhead > (64 << 20)) {
      throw new IllegalArgumentException("read-ahead must be 4 KiB to 64 MiB, got " + readAhead);
    }
    return new LazyDirectory(LazyFileSystems.open(store, files, readAhead));
  }

  /** The directory, on its own read-only file system. */
  public Path root() {
    return fs.root();
  }

  /** Object bytes fetched so far. */
  public long bytesFetched() {
    return fs.bytesFetched();
  }

  /** Range requests made so far. */
  public long requests() {
    return fs.requests();
  }

  @Override
  public void close() {
    fs.close();
  }
}
