package dev.weft.artifacts.lazy;

import dev.weft.artifacts.RangeReadable;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A read-only, flat file system: a root directory whose files are objects read by range. */
final class LazyFileSystem extends FileSystem {
  private static final AtomicLong IDS = new AtomicLong();

  /** One file: the object's key and size. */
  record Entry(String key, long size) {}

  private final LazyFileSystemProvider provider = new LazyFileSystemProvider();
  private final long id = IDS.incrementAndGet();
  private final RangeReadable store;
  private final Map<String, Entry> files;
  private final int readAhead;
  private final long createdMillis = System.currentTimeMillis();
  final LongAdder bytesFetched = new LongAdder();
  final LongAdder requests = new LongAdder();
  private volatile boolean open = true;

  LazyFileSystem(RangeReadable store, Map<String, Entry> files, int readAhead) {
    this.store = store;
    this.files = Map.copyOf(files);
    this.readAhead = readAhead;
  }

  long id() {
    return id;
  }

  RangeReadable store() {
    return store;
  }

  int readAhead() {
    return readAhead;
  }

  long createdMillis() {
    return createdMillis;
  }

  /** The entry of an absolute normalized path naming a file, or null (the root, or nothing). */
  Entry entry(LazyPath p) {
    LazyPath n = (LazyPath) p.toAbsolutePath().normalize();
    return n.names().size() == 1 ? files.get(n.names().get(0)) : null;
  }

  boolean isRoot(LazyPath p) {
    return ((LazyPath) p.toAbsolutePath().normalize()).names().isEmpty();
  }

  boolean exists(LazyPath p) {
    return isRoot(p) || entry(p) != null;
  }

  Set<String> fileNames() {
    return files.keySet();
  }

  @Override
  public LazyFileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(LazyPath.parse(this, "/"));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic", "unix");
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder s = new StringBuilder(first);
    for (String m : more) s.append('/').append(m);
    return LazyPath.parse(this, s.toString());
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    throw new UnsupportedOperationException("path matchers are not supported by lazy file systems");
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException();
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String toString() {
    return "lazy file system " + id + " over " + store.describe();
  }
}
