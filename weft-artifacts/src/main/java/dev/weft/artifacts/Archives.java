package dev.weft.artifacts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Argo's artifact archive formats. Packing names entries as Argo's executor does: a file is one
 * entry named by its base name; a directory {@code d} is the entries {@code d/}, {@code d/a},
 * {@code d/sub/b}. Unpacking follows Argo's loader: an archive holding one top-level entry becomes
 * that file or directory at {@code target}; several top-level entries become the directory {@code
 * target}.
 */
public final class Archives {
  /** What an artifact file holds. */
  public enum Format {
    TGZ,
    ZIP,
    PLAIN
  }

  /**
   * Bounds on unpacking.
   *
   * @param maxBytes total bytes written, over all entries
   * @param maxEntries number of entries
   */
  public record UnpackLimits(long maxBytes, int maxEntries) {
    /** 4 GiB and 100,000 entries. */
    public static final UnpackLimits DEFAULT = new UnpackLimits(4L << 30, 100_000);

    public UnpackLimits {
      if (maxBytes < 0 || maxEntries < 1) {
        throw new IllegalArgumentException(
            "unpack limits must be non-negative (maxBytes "
                + maxBytes
                + ", maxEntries "
                + maxEntries
                + ")");
      }
    }
  }

  private Archives() {}

  /** Packs a file or directory as Argo does by default (tar.gz; Argo's entry naming). */
  public static void tgz(Path source, Path targetFile) throws IOException {
    requirePackable(source);
    try (OutputStream out = Files.newOutputStream(targetFile);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      String base = baseName(source);
      if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        putTar(tar, source, base);
        return;
      }
      for (Path p : walk(source)) {
        String rel = source.relativize(p).toString();
        putTar(tar, p, rel.isEmpty() ? base : base + "/" + rel);
      }
    }
  }

  /** Packs a file or directory as Argo's {@code archive: {zip: {}}} (directories: files only). */
  public static void zip(Path source, Path targetFile) throws IOException {
    requirePackable(source);
    try (OutputStream out = Files.newOutputStream(targetFile);
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
      String base = baseName(source);
      if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        putZip(zip, source, base);
        return;
      }
      for (Path p : walk(source)) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
        putZip(zip, p, base + "/" + source.relativize(p));
      }
    }
  }

  /** Looks at the first bytes: gzip-compressed tar, zip, or anything else (plain). */
  public static Format detect(Path file) throws IOException {
    if (Files.isDirectory(file)) return Format.PLAIN;
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return isTarInside(file) ? Format.TGZ : Format.PLAIN;
    }
    if (n == 4
        && head[0] == 'P'
        && head[1] == 'K'
        && (head[2] == 3 || head[2] == 5)
        && (head[3] == 4 || head[3] == 6)) {
      return Format.ZIP;
    }
    return Format.PLAIN;
  }

  /**
   * Unpacks an artifact file into target, detecting gzip-tar / zip / plain by content; a
   * single-file archive becomes the file {@code target}, a directory archive the directory {@code
   * target}. A plain file is moved to {@code target} as it is.
   */
  public static void unpack(Path archive, Path target) throws IOException {
    unpack(archive, target, detect(archive), UnpackLimits.DEFAULT);
  }

  /**
   * Unpacks {@code archive}, known to be in {@code format}, into target within limits. Entries that
   * are absolute, contain {@code ..}, or are links leading outside target are refused with an
   * IOException naming the entry; so is going over a limit.
   */
  public static void unpack(Path archive, Path target, Format format, UnpackLimits limits)
      throws IOException {
    try {
      unpackChecked(archive, target, format, limits);
    } catch (IOException e) {
      if (e.getMessage() != null && !e.getMessage().isBlank()) throw e;
      // EOFException and friends from the decompressors say nothing: say what it means
      throw new IOException(
          "the "
              + format.name().toLowerCase(java.util.Locale.ROOT)
              + " archive is corrupt or cut short ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  private static void unpackChecked(Path archive, Path target, Format format, UnpackLimits limits)
      throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "unpack target already exists");
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    if (format == Format.PLAIN) {
      if (Files.size(archive) > limits.maxBytes()) {
        throw new IOException(
            "artifact is "
                + Files.size(archive)
                + " bytes, over the limit of "
                + limits.maxBytes());
      }
      Files.move(archive, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    Path temp = target.resolveSibling(target.getFileName() + ".weft-unpack-" + UUID.randomUUID());
    Files.createDirectory(temp);
    try {
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
          ArchiveInputStream<?> in =
              format == Format.TGZ
                  ? new TarArchiveInputStream(
                      new GzipCompressorInputStream(raw, true), StandardCharsets.UTF_8.name())
                  : new ZipArchiveInputStream(raw, StandardCharsets.UTF_8.name(), true, true)) {
        new Extractor(temp, limits).extract(in);
      }
      List<Path> top;
      try (Stream<Path> s = Files.list(temp)) {
        top = s.toList();
      }
      if (top.size() == 1) {
        Files.move(top.get(0), target, LinkOption.NOFOLLOW_LINKS);
      } else {
        Files.move(temp, target);
      }
    } finally {
      LocalDirectoryStore.deleteTree(temp);
    }
  }

  private static boolean isTarInside(Path file) throws IOException {
    try (InputStream in =
        new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(file)), true)) {
      byte[] block = in.readNBytes(512);
      return block.length == 512 && TarArchiveInputStream.matches(block, block.length);
    } catch (IOException e) {
      return false; // not valid gzip after all: treat as a plain file, as Argo does
    }
  }

  private static void requirePackable(Path source) throws IOException {
    if (Files.isSymbolicLink(source)) {
      throw new IOException("refusing to archive " + source + ": it is a symlink");
    }
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(source + " is not a regular file or directory");
    }
  }

  private static String baseName(Path source) {
    Path name = source.toAbsolutePath().normalize().getFileName();
    return name == null ? "root" : name.toString();
  }

  private static List<Path> walk(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.sorted().toList();
    }
  }

  private static void putTar(TarArchiveOutputStream tar, Path p, String name) throws IOException {
    if (Files.isSymbolicLink(p)) {
      // Kept only when it stays inside the archived tree; callers confine outputs beforehand.
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(p).toString());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return;
    }
    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    TarArchiveEntry e = new TarArchiveEntry(dir ? name + "/" : name);
    e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
    e.setMode(dir ? 0755 : 0644);
    if (!dir) e.setSize(Files.size(p));
    tar.putArchiveEntry(e);
    if (!dir) Files.copy(p, tar);
    tar.closeArchiveEntry();
  }

  private static void putZip(ZipArchiveOutputStream zip, Path p, String name) throws IOException {
    if (Files.isSymbolicLink(p)) {
      throw new IOException("refusing to zip symlink " + p);
    }
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    e.setSize(Files.size(p));
    zip.putArchiveEntry(e);
    Files.copy(p, zip);
    zip.closeArchiveEntry();
  }

  /** Writes entries under a root, confined and bounded. */
  private static final class Extractor {
    private final Path root;
    private final UnpackLimits limits;
    private long bytes;
    private int entries;

    Extractor(Path root, UnpackLimits limits) {
      this.root = root;
      this.limits = limits;
    }

    /** The entry being unpacked, for errors thrown with only a path (a name given twice). */
    private String current = "";

    void extract(ArchiveInputStream<?> in) throws IOException {
      try {
        extractAll(in);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new IOException(
            "archive entry '"
                + current
                + "' is given twice, or as both a file and a directory; refused",
            e);
      }
    }

    private void extractAll(ArchiveInputStream<?> in) throws IOException {
      ArchiveEntry entry;
      byte[] buf = new byte[64 * 1024];
      while ((entry = in.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw new IOException("archive has more than " + limits.maxEntries() + " entries");
        }
        String name = entry.getName();
        current = name;
        Path dest = confined(name);
        if (dest == null) continue; // the "./" entry
        if (!in.canReadEntryData(entry)) {
          throw new IOException(
              "archive entry '"
                  + name
                  + "' uses an unsupported feature (encryption or compression method)");
        }
        TarArchiveEntry tarEntry = entry instanceof TarArchiveEntry t ? t : null;
        if (entry.isDirectory()) {
          Files.createDirectories(dest);
        } else if (tarEntry != null && (tarEntry.isSymbolicLink() || tarEntry.isLink())) {
          link(tarEntry, dest);
        } else if (tarEntry != null
            && (tarEntry.isCharacterDevice() || tarEntry.isBlockDevice() || tarEntry.isFIFO())) {
          throw new IOException(
              "archive entry '"
                  + name
                  + "' is a "
                  + (tarEntry.isFIFO() ? "FIFO" : "device")
                  + "; refused");
        } else if (tarEntry != null && !tarEntry.isFile()) {
          throw new IOException(
              "archive entry '" + name + "' is not a file, directory or link; refused");
        } else {
          Files.createDirectories(dest.getParent());
          requireNoLinkOnTheWay(dest, name);
          try (OutputStream out =
              Files.newOutputStream(dest, java.nio.file.StandardOpenOption.CREATE_NEW)) {
            int n;
            while ((n = in.read(buf)) > 0) {
              bytes += n;
              if (bytes > limits.maxBytes()) {
                throw new IOException(
                    "archive unpacks to more than "
                        + limits.maxBytes()
                        + " bytes (at entry '"
                        + name
                        + "')");
              }
              out.write(buf, 0, n);
            }
          }
        }
      }
    }

    /** Resolves an entry name under root, or throws naming it; null for the root itself. */
    private Path confined(String name) throws IOException {
      String n = name.replace('\\', '/');
      if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
        throw new IOException("archive entry '" + name + "' has an absolute name; refused");
      }
      StringBuilder clean = new StringBuilder();
      for (String part : n.split("/")) {
        if (part.isEmpty() || part.equals(".")) continue;
        if (part.equals("..")) {
          throw new IOException("archive entry '" + name + "' contains '..'; refused");
        }
        if (clean.length() > 0) clean.append('/');
        clean.append(part);
      }
      if (clean.length() == 0) return null;
      return root.resolve(clean.toString());
    }

    private void requireNoLinkOnTheWay(Path dest, String name) throws IOException {
      for (Path p = dest.getParent(); p != null && !p.equals(root); p = p.getParent()) {
        if (Files.isSymbolicLink(p)) {
          throw new IOException(
              "archive entry '" + name + "' would be written through a symlink; refused");
        }
      }
    }

    private void link(TarArchiveEntry e, Path dest) throws IOException {
      String linkName = e.getLinkName();
      Files.createDirectories(dest.getParent());
      requireNoLinkOnTheWay(dest, e.getName());
      if (e.isLink()) { // hard link: names another entry of the archive
        Path other = confined(linkName);
        if (other == null || !Files.isRegularFile(other, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(
              "archive entry '"
                  + e.getName()
                  + "' is a hard link to '"
                  + linkName
                  + "', not an earlier file; refused");
        }
        bytes += Files.size(other);
        if (bytes > limits.maxBytes()) {
          throw new IOException(
              "archive unpacks to more than "
                  + limits.maxBytes()
                  + " bytes (at entry '"
                  + e.getName()
                  + "')");
        }
        Files.copy(other, dest);
        return;
      }
      if (linkName.startsWith("/") || linkName.indexOf('\0') >= 0) {
        throw new IOException(
            "archive entry '"
                + e.getName()
                + "' is a symlink to absolute '"
                + linkName
                + "'; refused");
      }
      Path resolved = dest.getParent().resolve(linkName).normalize();
      if (!resolved.startsWith(root)) {
        throw new IOException(
            "archive entry '"
                + e.getName()
                + "' is a symlink to '"
                + linkName
                + "', outside the artifact; refused");
      }
      Files.createSymbolicLink(dest, dest.getFileSystem().getPath(linkName));
    }
  }
}
