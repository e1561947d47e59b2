package dev.weft.artifacts.lazy;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider behind one {@link LazyFileSystem}: reads and metadata only; every write, create,
 * delete or move is refused with {@link AccessDeniedException} (an IOException, which a WASI layer
 * turns into an errno rather than a crash).
 */
final class LazyFileSystemProvider extends FileSystemProvider {
  static final String SCHEME = "weft-lazy";

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("lazy file systems are made by LazyDirectory");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("lazy file systems are not looked up by URI");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("lazy file systems are not looked up by URI");
  }

  private static LazyPath lazy(Path p) {
    if (!(p instanceof LazyPath l)) throw new ProviderMismatchException("not a lazy path: " + p);
    return l;
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return newFileChannel(path, options, attrs);
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    LazyPath p = lazy(path);
    for (OpenOption o : options) {
      if (o == StandardOpenOption.WRITE
          || o == StandardOpenOption.APPEND
          || o == StandardOpenOption.CREATE
          || o == StandardOpenOption.CREATE_NEW
          || o == StandardOpenOption.TRUNCATE_EXISTING
          || o == StandardOpenOption.DELETE_ON_CLOSE) {
        throw new AccessDeniedException(path.toString(), null, "read-only input");
      }
    }
    LazyFileSystem fs = p.getFileSystem();
    LazyFileSystem.Entry e = fs.entry(p);
    if (e == null) {
      if (fs.isRoot(p)) throw new IOException(path + " is a directory");
      throw new NoSuchFileException(path.toString());
    }
    return new RangeChannel(fs, e);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    LazyPath d = lazy(dir);
    LazyFileSystem fs = d.getFileSystem();
    if (!fs.isRoot(d)) {
      if (fs.entry(d) != null) throw new NotDirectoryException(dir.toString());
      throw new NoSuchFileException(dir.toString());
    }
    List<Path> entries = new ArrayList<>();
    for (String name : fs.fileNames()) {
      Path p = d.resolve(name);
      if (filter.accept(p)) entries.add(p);
    }
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return entries.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw new AccessDeniedException(dir.toString(), null, "read-only input");
  }

  @Override
  public void delete(Path path) throws IOException {
    throw new AccessDeniedException(path.toString(), null, "read-only input");
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    throw new AccessDeniedException(target.toString(), null, "read-only input");
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    throw new AccessDeniedException(source.toString(), null, "read-only input");
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("lazy file systems have no file store");
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    LazyPath p = lazy(path);
    if (!p.getFileSystem().exists(p)) throw new NoSuchFileException(path.toString());
    for (AccessMode m : modes) {
      if (m != AccessMode.READ)
        throw new AccessDeniedException(path.toString(), null, "read-only input");
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    if (type != BasicFileAttributeView.class) return null;
    LazyPath p = lazy(path);
    return (V)
        new BasicFileAttributeView() {
          @Override
          public String name() {
            return "basic";
          }

          @Override
          public BasicFileAttributes readAttributes() throws IOException {
            return attributes(p);
          }

          @Override
          public void setTimes(FileTime modified, FileTime access, FileTime create)
              throws IOException {
            throw new AccessDeniedException(path.toString(), null, "read-only input");
          }
        };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    if (type != BasicFileAttributes.class)
      throw new UnsupportedOperationException("only basic attributes: " + type.getName());
    return (A) attributes(lazy(path));
  }

  /** "basic:*" and "unix:*" (as a WASI layer asks: dev, ino, nlink, size, times, file type). */
  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    LazyPath p = lazy(path);
    BasicFileAttributes a = attributes(p);
    String view =
        attributes.contains(":") ? attributes.substring(0, attributes.indexOf(':')) : "basic";
    if (!view.equals("basic") && !view.equals("unix") && !view.equals("posix")) {
      throw new UnsupportedOperationException("attribute view '" + view + "' is not supported");
    }
    Map<String, Object> m = new HashMap<>();
    m.put("size", a.size());
    m.put("isDirectory", a.isDirectory());
    m.put("isRegularFile", a.isRegularFile());
    m.put("isSymbolicLink", false);
    m.put("isOther", false);
    m.put("lastModifiedTime", a.lastModifiedTime());
    m.put("lastAccessTime", a.lastAccessTime());
    m.put("creationTime", a.creationTime());
    m.put("fileKey", a.fileKey());
    if (!view.equals("basic")) {
      m.put("dev", p.getFileSystem().id());
      m.put("ino", (long) a.fileKey().hashCode() & 0xffffffffL);
      m.put("nlink", 1);
      m.put("ctime", a.lastModifiedTime());
      m.put("mode", a.isDirectory() ? 040555 : 0100444);
      m.put("uid", 0);
      m.put("gid", 0);
      m.put("rdev", 0L);
    }
    String wanted =
        attributes.contains(":") ? attributes.substring(attributes.indexOf(':') + 1) : attributes;
    if (wanted.equals("*")) return m;
    Map<String, Object> some = new HashMap<>();
    for (String w : wanted.split(",")) if (m.containsKey(w)) some.put(w, m.get(w));
    return some;
  }

  private static BasicFileAttributes attributes(LazyPath p) throws IOException {
    LazyFileSystem fs = p.getFileSystem();
    boolean dir = fs.isRoot(p);
    LazyFileSystem.Entry e = fs.entry(p);
    if (!dir && e == null) throw new NoSuchFileException(p.toString());
    FileTime t = FileTime.fromMillis(fs.createdMillis());
    long size = dir ? 0 : e.size();
    Object key = dir ? "/" : e.key();
    return new BasicFileAttributes() {
      @Override
      public FileTime lastModifiedTime() {
        return t;
      }

      @Override
      public FileTime lastAccessTime() {
        return t;
      }

      @Override
      public FileTime creationTime() {
        return t;
      }

      @Override
      public boolean isRegularFile() {
        return !dir;
      }

      @Override
      public boolean isDirectory() {
        return dir;
      }

      @Override
      public boolean isSymbolicLink() {
        return false;
      }

      @Override
      public boolean isOther() {
        return false;
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public Object fileKey() {
        return key;
      }
    };
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    throw new AccessDeniedException(path.toString(), null, "read-only input");
  }
}
