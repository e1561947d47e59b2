package dev.weft.artifacts.lazy;

import dev.weft.artifacts.ArtifactKeys;
import dev.weft.artifacts.RangeReadable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes lazy file systems; the entry point of this package for {@code
 * dev.weft.artifacts.LazyDirectory}.
 */
public final class LazyFileSystems {
  private LazyFileSystems() {}

  /** An open lazy file system. */
  public static final class Handle {
    private final LazyFileSystem fs;

    private Handle(LazyFileSystem fs) {
      this.fs = fs;
    }

    public Path root() {
      return fs.getPath("/");
    }

    public long bytesFetched() {
      return fs.bytesFetched.sum();
    }

    public long requests() {
      return fs.requests.sum();
    }

    public void close() {
      fs.close();
    }
  }

  public static Handle open(RangeReadable store, Map<String, String> files, int readAhead)
      throws IOException {
    Map<String, LazyFileSystem.Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      String name = f.getKey();
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException(
            "lazy file name '" + name + "' must be one path segment");
      }
      entries.put(
          name,
          new LazyFileSystem.Entry(ArtifactKeys.check(f.getValue()), store.size(f.getValue())));
    }
    return new Handle(new LazyFileSystem(store, entries, readAhead));
  }
}
