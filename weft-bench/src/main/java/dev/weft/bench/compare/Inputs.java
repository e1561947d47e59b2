package dev.weft.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workloads' input files, deterministic and printable ASCII (so weft can receive them as Argo
 * raw artifacts, which are text), and the output each program must print for them.
 */
final class Inputs {
  static final String IMAGE = "in.ppm";
  static final String TEXT = "in.txt";
  static final int SIDE = 512;
  static final int TEXT_BYTES = 256 * 1024;

  private Inputs() {}

  /** A P6 image like {@code genppm SIDE SIDE --text} writes (samples 32..126, maxval 126). */
  static byte[] image(int w, int h) {
    byte[] header = ("P6\n" + w + " " + h + "\n126\n").getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[header.length + w * h * 3];
    System.arraycopy(header, 0, b, 0, header.length);
    int x = (int) 2463534242L;
    int k = header.length;
    for (int y = 0; y < h; y++) {
      for (int i = 0; i < w * 3; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        int v = ((x >>> 24) + y * 255 / h) / 2;
        b[k++] = (byte) (32 + v * 94 / 255);
      }
    }
    return b;
  }

  /**
   * Σ luma of a P6 image with a 3-number header and no comments, as examples/modules/image computes
   * it.
   */
  static long lumaChecksum(byte[] ppm) {
    int nl = 0;
    int i = 0;
    while (nl < 3) if (ppm[i++] == '\n') nl++;
    long sum = 0;
    for (; i + 2 < ppm.length; i += 3) {
      int r = ppm[i] & 0xff, g = ppm[i + 1] & 0xff, b = ppm[i + 2] & 0xff;
      sum += ((77 * r + 150 * g + 29 * b) >> 8) & 0xff;
    }
    return sum;
  }

  static byte[] text(int bytes) {
    byte[] b = new byte[bytes];
    String line = "weft compares Wasm tasks with containers and processes. ";
    for (int i = 0; i < bytes; i++)
      b[i] = (byte) (i % 64 == 63 ? '\n' : line.charAt(i % line.length()));
    return b;
  }

  static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(IMAGE), image(SIDE, SIDE));
    Files.write(dir.resolve(TEXT), text(TEXT_BYTES));
  }

  /** What the program must print when it worked. */
  static String expected(Workload w) {
    return switch (w) {
      case HELLO -> "Hello, World!";
      case IMAGE ->
          "gray " + SIDE + "x" + SIDE + " maxval 126 checksum " + lumaChecksum(image(SIDE, SIDE));
      case COPY -> "copied " + TEXT_BYTES + " bytes";
    };
  }
}
