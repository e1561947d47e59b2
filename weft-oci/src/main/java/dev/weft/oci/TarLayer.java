package dev.weft.oci;

import dev.weft.runtime.ModuleFetchException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Finds the one {@code .wasm} file in an image layer (a tar, optionally gzip-compressed). */
final class TarLayer {
  private TarLayer() {}

  static byte[] singleWasm(byte[] layer, String layerDigest, long maxBytes) {
    try (InputStream in =
        isGzip(layer)
            ? new GZIPInputStream(new ByteArrayInputStream(layer))
            : new ByteArrayInputStream(layer)) {
      List<String> found = new ArrayList<>();
      byte[] module = null;
      byte[] header = new byte[512];
      String longName = null;
      while (in.readNBytes(header, 0, 512) == 512 && !allZero(header)) {
        String name = longName != null ? longName : field(header, 0, 100);
        longName = null;
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) name = prefix + "/" + name;
        long size =
            Long.parseLong(
                field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        long padded = (size + 511) / 512 * 512;
        if (type == 'L') { // GNU long name: the data is the next entry's name
          longName =
              new String(in.readNBytes((int) size), StandardCharsets.UTF_8).replace("\0", "");
          in.skipNBytes(padded - size);
          continue;
        }
        boolean regular = type == '0' || type == '\0';
        if (regular && name.endsWith(".wasm")) {
          found.add(name);
          if (size > maxBytes)
            throw new ModuleFetchException(
                "layer " + layerDigest + ": " + name + " is larger than the module size limit");
          module = in.readNBytes((int) size);
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
      if (found.size() != 1) {
        throw new ModuleFetchException(
            "image layer "
                + layerDigest
                + " must hold exactly one .wasm file, found "
                + (found.isEmpty() ? "none" : found.size() + ": " + String.join(", ", found)));
      }
      return module;
    } catch (IOException | NumberFormatException e) {
      throw new ModuleFetchException(
          "image layer " + layerDigest + " is not a readable tar archive: " + e.getMessage(), e);
    }
  }

  private static boolean isGzip(byte[] b) {
    return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) end++;
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }
}
