package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.artifacts.ArtifactNotFoundException;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.artifacts.LazyDirectory;
import dev.weft.artifacts.RangeReadable;
import dev.weft.runtime.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Large un-archived inputs read by range as the module reads, instead of downloaded first. Such an
 * input is a read-only directory preopened at the parent directory of its declared path (e.g.
 * {@code /data} for {@code /data/big.bin}), so it qualifies only when that directory is its own:
 * not /, /work or /tmp, and no other artifact is declared in it. It is then not copied to
 * /work/artifacts-in.
 */
final class LazyInputs {
  private final long threshold;

  LazyInputs(long threshold) {
    this.threshold = threshold;
  }

  /** Mounts the input lazily when it qualifies; false when it must be downloaded. */
  boolean tryMount(
      ArtifactStore store,
      String key,
      JsonNode artifact,
      String path,
      List<String> declared,
      TaskSpec.Builder b,
      List<AutoCloseable> toClose,
      String what)
      throws IOException {
    if (threshold == Long.MAX_VALUE || !(store instanceof RangeReadable range)) return false;
    JsonNode archive = artifact.path("archive");
    if (archive.has("tar") || archive.has("zip")) return false;
    String dir = parentDir(path);
    if (dir == null) return false;
    for (String other : declared) {
      if (other.equals(path)) continue;
      String o = normalize(other);
      if (o != null && (o.equals(dir) || o.startsWith(dir + "/") || dir.startsWith(o + "/")))
        return false;
    }
    long size;
    try {
      size = range.size(key);
    } catch (ArtifactNotFoundException e) {
      return false; // a directory (key prefix) or missing: the download path reports it
    }
    if (size < threshold) return false;
    if (!archive.has("none") && looksGzipped(range, key)) return false; // Argo would untar it
    LazyDirectory lazy =
        LazyDirectory.open(range, Map.of(fileName(path), key), LazyDirectory.DEFAULT_READ_AHEAD);
    toClose.add(lazy);
    b.mount(lazy.root(), dir);
    return true;
  }

  private static boolean looksGzipped(RangeReadable range, String key) throws IOException {
    try (InputStream in = range.read(key, 0, 2)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }
  }

  /** The parent directory of an absolute path when it may be a lazy input's own; else null. */
  static String parentDir(String path) {
    String n = normalize(path);
    if (n == null) return null;
    int slash = n.lastIndexOf('/');
    if (slash <= 0) return null; // directly under "/"
    String dir = n.substring(0, slash);
    for (String reserved : List.of("/work", "/tmp")) {
      if (dir.equals(reserved) || dir.startsWith(reserved + "/")) return null;
    }
    return dir;
  }

  private static String fileName(String path) {
    String n = normalize(path);
    return n.substring(n.lastIndexOf('/') + 1);
  }

  /** Lexically normalised absolute path, or null when it is not absolute or climbs above "/". */
  static String normalize(String path) {
    if (path == null || !path.startsWith("/")) return null;
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) continue;
      if (p.equals("..")) {
        if (parts.isEmpty()) return null;
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
    return "/" + String.join("/", parts);
  }
}
