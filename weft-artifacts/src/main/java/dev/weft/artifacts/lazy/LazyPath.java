package dev.weft.artifacts.lazy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A '/'-separated path of a {@link LazyFileSystem}. */
final class LazyPath implements Path {
  private final LazyFileSystem fs;
  private final boolean absolute;
  private final List<String> names;

  LazyPath(LazyFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  static LazyPath parse(LazyFileSystem fs, String s) {
    List<String> parts = new ArrayList<>();
    for (String p : s.split("/")) if (!p.isEmpty()) parts.add(p);
    return new LazyPath(fs, s.startsWith("/"), parts);
  }

  List<String> names() {
    return names;
  }

  @Override
  public LazyFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new LazyPath(fs, true, List.of()) : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new LazyPath(fs, false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.isEmpty()) return null;
    if (names.size() == 1 && !absolute) return null;
    return new LazyPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new LazyPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int begin, int end) {
    return new LazyPath(fs, false, names.subList(begin, end));
  }

  @Override
  public boolean startsWith(Path other) {
    LazyPath o = check(other);
    return o.absolute == absolute
        && o.names.size() <= names.size()
        && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    LazyPath o = check(other);
    if (o.absolute) return equals(o);
    return o.names.size() <= names.size()
        && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals(".")) continue;
      if (n.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
          continue;
        }
        if (absolute) continue; // ".." at the root stays at the root
      }
      out.add(n);
    }
    return new LazyPath(fs, absolute, out);
  }

  @Override
  public Path resolve(Path other) {
    LazyPath o = check(other);
    if (o.absolute) return o;
    List<String> all = new ArrayList<>(names);
    all.addAll(o.names);
    return new LazyPath(fs, absolute, all);
  }

  @Override
  public Path relativize(Path other) {
    LazyPath o = check(other);
    if (o.absolute != absolute)
      throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
    int common = 0;
    while (common < names.size()
        && common < o.names.size()
        && names.get(common).equals(o.names.get(common))) common++;
    List<String> out = new ArrayList<>();
    for (int i = common; i < names.size(); i++) out.add("..");
    out.addAll(o.names.subList(common, o.names.size()));
    return new LazyPath(fs, false, out);
  }

  @Override
  public URI toUri() {
    return URI.create(LazyFileSystemProvider.SCHEME + "://" + fs.id() + toAbsolutePath());
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : new LazyPath(fs, true, names);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    LazyPath real = (LazyPath) toAbsolutePath().normalize();
    if (!fs.exists(real)) throw new NoSuchFileException(toString());
    return real;
  }

  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("lazy file systems cannot be watched");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LazyPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {System.identityHashCode(fs), absolute, names});
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? "/" + joined : joined;
  }

  private LazyPath check(Path other) {
    if (!(other instanceof LazyPath p) || p.fs != fs)
      throw new ProviderMismatchException("not a path of " + fs);
    return p;
  }
}
