package dev.weft.runtime.internal.run;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that keeps only the last {@code capacity} bytes written and counts the rest. It
 * grows on demand, so a task that prints little costs little.
 */
public final class TailBuffer extends OutputStream {
  private final int capacity;
  private byte[] buf = new byte[256];
  private int start; // index of the oldest byte once the ring is full
  private int size;
  private long total;

  public TailBuffer(long capacity) {
    this.capacity = (int) Math.min(capacity, Integer.MAX_VALUE - 8);
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    total += len;
    if (len >= capacity) { // only the last `capacity` bytes of this write survive
      ensure(capacity);
      System.arraycopy(b, off + len - capacity, buf, 0, capacity);
      start = 0;
      size = capacity;
      return;
    }
    if (size + len <= capacity && start == 0) {
      ensure(size + len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
      return;
    }
    ensure(capacity);
    int end = (start + size) % capacity;
    int first = Math.min(len, capacity - end);
    System.arraycopy(b, off, buf, end, first);
    System.arraycopy(b, off + first, buf, 0, len - first);
    int overflow = size + len - capacity;
    if (overflow > 0) {
      start = (start + overflow) % capacity;
      size = capacity;
    } else {
      size += len;
    }
  }

  private void ensure(int needed) {
    if (buf.length < needed) {
      int n = Math.min(capacity, Math.max(needed, buf.length * 2));
      byte[] nb = new byte[n];
      System.arraycopy(buf, 0, nb, 0, size);
      buf = nb;
    }
  }

  /** The bytes kept, oldest first. */
  public synchronized byte[] bytes() {
    byte[] out = new byte[size];
    int first = Math.min(size, buf.length - start);
    System.arraycopy(buf, start, out, 0, first);
    System.arraycopy(buf, 0, out, first, size - first);
    return out;
  }

  public synchronized long totalBytes() {
    return total;
  }

  public synchronized boolean truncated() {
    return total > size;
  }

  public String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }
}
