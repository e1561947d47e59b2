package dev.weft.artifacts.lazy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Reads one object by HTTP range requests as the reader goes. One window of at most {@code
 * readAhead} bytes is kept: sequential reads are served from it, and a read outside it fetches a
 * new window starting at the read position. Memory per open file is bounded by the window.
 */
final class RangeChannel extends FileChannel {
  private final LazyFileSystem fs;
  private final LazyFileSystem.Entry entry;
  private long position;
  private byte[] window = new byte[0];
  private long windowStart = -1;

  RangeChannel(LazyFileSystem fs, LazyFileSystem.Entry entry) {
    this.fs = fs;
    this.entry = entry;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) position += n;
    return n;
  }

  @Override
  public synchronized long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!dsts[i].hasRemaining()) continue;
      int n = read(dsts[i]);
      if (n < 0) return total == 0 ? -1 : total;
      total += n;
      if (dsts[i].hasRemaining()) break;
    }
    return total;
  }

  @Override
  public synchronized int read(ByteBuffer dst, long at) throws IOException {
    ensureOpen();
    if (at < 0) throw new IllegalArgumentException("negative position " + at);
    if (at >= entry.size()) return -1;
    if (!dst.hasRemaining()) return 0;
    if (windowStart < 0 || at < windowStart || at >= windowStart + window.length) {
      fill(at, dst.remaining());
    }
    int off = (int) (at - windowStart);
    int n = Math.min(dst.remaining(), window.length - off);
    dst.put(window, off, n);
    return n;
  }

  /** Fetches the window [at, at + max(readAhead, wanted capped at readAhead)) within the object. */
  private void fill(long at, int wanted) throws IOException {
    int len =
        (int)
            Math.min(Math.max(fs.readAhead(), Math.min(wanted, fs.readAhead())), entry.size() - at);
    byte[] buf = new byte[len];
    int got = 0;
    try (InputStream in = fs.store().read(entry.key(), at, len)) {
      while (got < len) {
        int n = in.read(buf, got, len - got);
        if (n < 0) break;
        got += n;
      }
    }
    fs.requests.increment();
    fs.bytesFetched.add(got);
    if (got == 0)
      throw new IOException(
          "object '" + entry.key() + "' ended at " + at + ", before its size " + entry.size());
    window = got == len ? buf : java.util.Arrays.copyOf(buf, got);
    windowStart = at;
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized FileChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) throw new IllegalArgumentException("negative position " + newPosition);
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return entry.size();
  }

  @Override
  public long transferTo(long from, long count, WritableByteChannel target) throws IOException {
    long done = 0;
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = read(buf, from + done);
      if (n <= 0) break;
      buf.flip();
      while (buf.hasRemaining()) target.write(buf);
      done += n;
    }
    return done;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long at) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long at, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) {
    // nothing to write
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long at, long size) {
    throw new UnsupportedOperationException("lazily read inputs cannot be memory-mapped");
  }

  @Override
  public FileLock lock(long at, long size, boolean shared) {
    throw new UnsupportedOperationException("lazily read inputs cannot be locked");
  }

  @Override
  public FileLock tryLock(long at, long size, boolean shared) {
    throw new UnsupportedOperationException("lazily read inputs cannot be locked");
  }

  private void ensureOpen() throws IOException {
    if (!isOpen()) throw new java.nio.channels.ClosedChannelException();
  }

  @Override
  protected void implCloseChannel() {
    window = new byte[0];
  }
}
