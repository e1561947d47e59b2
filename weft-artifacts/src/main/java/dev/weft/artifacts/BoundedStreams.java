package dev.weft.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams over part of a file. */
final class BoundedStreams {
  private BoundedStreams() {}

  /** The bytes {@code [offset, offset + length)} of a file (on any file system provider). */
  static InputStream slice(Path file, long offset, long length) throws IOException {
    SeekableByteChannel ch = Files.newByteChannel(file);
    try {
      ch.position(offset);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return limit(Channels.newInputStream(ch), length);
  }

  /** At most {@code length} bytes of in. */
  static InputStream limit(InputStream in, long length) {
    return new FilterInputStream(in) {
      private long left = length;

      @Override
      public int read() throws IOException {
        if (left <= 0) return -1;
        int b = super.read();
        if (b >= 0) left--;
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        if (left <= 0) return -1;
        int n = super.read(buf, off, (int) Math.min(len, left));
        if (n > 0) left -= n;
        return n;
      }
    };
  }
}
