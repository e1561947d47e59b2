package dev.weft.runtime.internal.sandbox;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.weft.runtime.Mount;
import dev.weft.runtime.SandboxStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A task's private file system: the preopened guest directories {@code /work} and {@code /tmp},
 * plus any trusted host mounts. Every guest path weft reads after the run goes through {@link
 * #resolve}, which refuses anything outside the preopens.
 */
public final class Sandbox implements AutoCloseable {
  public static final String WORK = "/work";
  public static final String TMP = "/tmp";

  /**
   * One file system per task, so Jimfs' cache of freed blocks would only ever serve one task: it is
   * turned off (it was a tenth of a small task's allocation), and blocks are 4 KiB, not 8, as most
   * task files (input.json, result.json) are small.
   */
  private static final Configuration JIMFS =
      Configuration.unix().toBuilder()
          .setAttributeViews("basic", "unix")
          .setWorkingDirectory("/")
          .setBlockSize(4096)
          .setMaxCacheSize(0)
          .build();

  /** Configurations by size cap: building one copies several sets, so tasks share them. */
  private static final java.util.concurrent.ConcurrentHashMap<Long, Configuration> CONFIGS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Names the in-memory file systems. Jimfs names an unnamed one with a random UUID, which makes
   * the first sandbox of a process find and seed a SecureRandom (start-up work of a one-shot {@code
   * weft exec}, docs/benchmarks.md §4.2); the name only has to be unique within the process.
   */
  private static final java.util.concurrent.atomic.AtomicLong FS_NAMES =
      new java.util.concurrent.atomic.AtomicLong();

  /** Free space below which a failed task is reported as having filled its sandbox. */
  private static final long FULL_THRESHOLD = 64 * 1024;

  /**
   * What each file, directory or link the module creates is charged against the sandbox limit: an
   * empty entry holds no block, but Jimfs keeps about 1.2 KiB of heap for it (measured on JDK 17),
   * so a million of them would otherwise cost a gigabyte for free.
   */
  public static final long ENTRY_BYTES = 2048;

  /**
   * The entries' charge, as the blocks of a file that is unlinked as soon as it is opened: Jimfs
   * counts them against the same size cap as the module's data, and no guest path reaches them.
   */
  private final java.nio.channels.FileChannel entryCharge; // null for HOST_TEMP

  private long entries;
  private volatile boolean spaceRefused;

  private final FileSystem memoryFs; // null for HOST_TEMP
  private final Path hostRoot; // null for MEMORY
  private final Map<String, Path> preopens = new LinkedHashMap<>();
  private final java.util.Set<String> mountGuests = new java.util.HashSet<>();

  /** Declared paths directly under "/" (/art), which the "/" preopen is there for. */
  private final java.util.Set<String> rootPaths = new java.util.HashSet<>();

  private Sandbox(
      SandboxStorage storage, List<Mount> mounts, long maxBytes, List<String> declaredPaths)
      throws IOException {
    Path root;
    if (storage == SandboxStorage.MEMORY) {
      Configuration config =
          CONFIGS.size() < 64
              ? CONFIGS.computeIfAbsent(maxBytes, b -> JIMFS.toBuilder().setMaxSize(b).build())
              : JIMFS.toBuilder().setMaxSize(maxBytes).build();
      memoryFs = Jimfs.newFileSystem("weft-sandbox-" + FS_NAMES.incrementAndGet(), config);
      hostRoot = null;
      root = memoryFs.getPath("/");
      Path charge = root.resolve(".entries");
      entryCharge =
          java.nio.channels.FileChannel.open(
              charge,
              java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE);
      Files.delete(charge);
    } else {
      memoryFs = null;
      entryCharge = null;
      hostRoot = Files.createTempDirectory("weft-task-");
      root = hostRoot;
    }
    preopens.put(WORK, Files.createDirectories(root.resolve("work")));
    preopens.put(TMP, Files.createDirectories(root.resolve("tmp")));
    for (Mount m : mounts) {
      String guest = GuestPaths.normalizeAbsolute(m.guestPath());
      if (preopens.containsKey(guest)) {
        throw new IllegalArgumentException(
            "mount guest path " + guest + " is already used by the sandbox");
      }
      if (!Files.isDirectory(m.hostPath())) {
        throw new IllegalArgumentException("mount host path is not a directory: " + m.hostPath());
      }
      preopens.put(guest, m.hostPath().toAbsolutePath());
      mountGuests.add(guest);
    }
    // Argo templates declare artifact and parameter paths anywhere (/in/data.txt, /input.jpg): each
    // top-level directory of such a path that no preopen covers becomes a sandbox directory too.
    boolean atRoot = false;
    for (String declared : declaredPaths) {
      if (!declared.startsWith("/")) continue;
      String norm = GuestPaths.normalizeAbsolute(declared);
      if (norm.equals("/") || covered(norm)) continue;
      int slash = norm.indexOf('/', 1);
      if (slash < 0) {
        atRoot = true; // a file directly under "/" (an input artifact at /art)
        rootPaths.add(norm);
        continue;
      }
      String top = norm.substring(0, slash);
      preopens.put(top, Files.createDirectories(root.resolve(top.substring(1))));
    }
    // Such a file needs the sandbox's own root preopened as "/", after the others so their
    // descriptors do not move. It is the task's private file system (or its temp directory): the
    // guest sees /work, /tmp and the declared paths there, nothing of the host. Tasks that declare
    // no such path keep stray absolute paths outside the sandbox.
    if (atRoot && !covered("/")) preopens.put("/", root);
  }

  private boolean covered(String norm) {
    for (String g : preopens.keySet()) {
      if (g.equals("/") || norm.equals(g) || norm.startsWith(g + "/")) return true;
    }
    return false;
  }

  /**
   * @param maxBytes cap on the in-memory file system's contents (host temp dirs are not capped)
   */
  public static Sandbox create(SandboxStorage storage, List<Mount> mounts, long maxBytes) {
    return create(storage, mounts, maxBytes, List.of());
  }

  /**
   * @param declaredPaths absolute guest paths the task declares (artifacts, output parameters);
   *     those outside every preopen get a sandbox directory at their top-level directory
   */
  public static Sandbox create(
      SandboxStorage storage, List<Mount> mounts, long maxBytes, List<String> declaredPaths) {
    try {
      return new Sandbox(storage, mounts, maxBytes, declaredPaths);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the task sandbox: " + e.getMessage(), e);
    }
  }

  /** Guest directory → host path, in the order they are preopened. */
  public Map<String, Path> preopens() {
    return preopens;
  }

  /** Whether the in-memory file system has (almost) no space left. */
  public boolean full() {
    if (memoryFs == null) return false;
    try {
      return Files.getFileStore(work()).getUnallocatedSpace() < FULL_THRESHOLD;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Charges one new directory entry (file, directory, link) at {@code p} against the sandbox limit,
   * before it is created; entries on host mounts and in host temp directories are not charged.
   *
   * @throws IOException "out of disk space" when the charge does not fit (the guest gets ENOSPC)
   */
  public synchronized void chargeEntry(Path p) throws IOException {
    if (entryCharge == null || p.getFileSystem() != memoryFs) return;
    chargeOne();
  }

  private synchronized void chargeOne() throws IOException {
    long next = entries + 1;
    try {
      if (next * ENTRY_BYTES > entryCharge.size())
        entryCharge.write(java.nio.ByteBuffer.wrap(new byte[1]), next * ENTRY_BYTES - 1);
    } catch (IOException e) {
      spaceRefused = true;
      throw e;
    }
    entries = next;
  }

  /** Gives back the charge of an entry removed from the in-memory file system. */
  public synchronized void refundEntry(Path p) {
    if (entryCharge == null || p.getFileSystem() != memoryFs || entries == 0) return;
    entries--;
    try {
      entryCharge.truncate(entries * ENTRY_BYTES);
    } catch (IOException e) {
      // the charge stays: the sandbox only looks fuller than it is
    }
  }

  /**
   * Charges every entry now in the sandbox's own directories (what staging the inputs created).
   *
   * @throws IOException "out of disk space" when they do not fit
   */
  public void chargeExisting() throws IOException {
    if (entryCharge == null) return;
    java.util.Set<Path> all = new java.util.HashSet<>(); // preopens may nest ("/" and /work)
    for (Map.Entry<String, Path> e : preopens.entrySet()) {
      if (mountGuests.contains(e.getKey()) || e.getValue().getFileSystem() != memoryFs) continue;
      try (Stream<Path> s = Files.walk(e.getValue())) {
        s.skip(1).forEach(all::add);
      }
    }
    chargeEntries(all.size());
  }

  /**
   * Charges {@code n} entries with one write instead of one per entry (a tenth of a small task's
   * sandbox cost went to the per-entry writes). When they do not all fit, charges them one by one
   * as far as they go, which leaves the charge exactly as separate {@link #chargeEntry} calls
   * would.
   */
  private synchronized void chargeEntries(long n) throws IOException {
    if (n == 0) return;
    long next = entries + n;
    try {
      if (next * ENTRY_BYTES > entryCharge.size())
        entryCharge.write(java.nio.ByteBuffer.wrap(new byte[1]), next * ENTRY_BYTES - 1);
      entries = next;
      return;
    } catch (IOException e) {
      // Jimfs refuses a write that does not fit before allocating anything: nothing charged yet
    }
    for (long i = 0; i < n; i++) chargeOne();
  }

  /** Entries charged so far. */
  public synchronized long entries() {
    return entries;
  }

  /** Notes that a write or a new entry was refused for lack of space in the sandbox. */
  public void noteSpaceRefused() {
    spaceRefused = true;
  }

  /**
   * Whether a write or a new entry was refused because the sandbox limit was reached, however much
   * space is left now (one large write refused leaves the rest free).
   */
  public boolean spaceRefused() {
    return spaceRefused;
  }

  public Path work() {
    return preopens.get(WORK);
  }

  /**
   * Maps an absolute guest path to its place in the sandbox, refusing paths that leave every
   * preopened directory, lexically ({@code ..}) or through a symlink.
   *
   * @throws SandboxEscapeException naming the path
   */
  public Path resolve(String guestPath) {
    String norm = GuestPaths.normalizeAbsolute(guestPath);
    String bestGuest = null;
    for (String g : preopens.keySet()) {
      // weft's own paths (outputs, parameters) reach through "/" only to the declared root paths:
      // any other stray absolute path stays outside the sandbox, as without the root preopen
      boolean under =
          g.equals("/")
              ? rootPaths.stream().anyMatch(r -> norm.equals(r) || norm.startsWith(r + "/"))
              : norm.equals(g) || norm.startsWith(g + "/");
      if (under && (bestGuest == null || g.length() > bestGuest.length())) {
        bestGuest = g;
      }
    }
    if (bestGuest == null) {
      throw new SandboxEscapeException(
          "path '"
              + guestPath
              + "' is outside the sandbox (readable: "
              + String.join(", ", preopens.keySet())
              + ")");
    }
    Path base = preopens.get(bestGuest);
    String rest =
        bestGuest.equals("/")
            ? norm.substring(1)
            : norm.substring(bestGuest.length()).replaceFirst("^/", "");
    Path p = rest.isEmpty() ? base : base.resolve(rest);
    return GuestPaths.confine(base, p, guestPath);
  }

  /**
   * Like {@link #resolve}, refusing paths inside a host mount: for what weft writes into the
   * sandbox.
   */
  public Path resolveOwn(String guestPath) {
    String norm = GuestPaths.normalizeAbsolute(guestPath);
    for (String g : mountGuests) {
      if (norm.equals(g) || norm.startsWith(g + "/")) {
        throw new SandboxEscapeException("path '" + guestPath + "' is inside the host mount " + g);
      }
    }
    return resolve(guestPath);
  }

  /**
   * Like {@link #resolve}, for a path relative to a sandbox directory (the module's artifact
   * paths).
   */
  public Path resolveUnder(String guestDir, String relative, String shownAs) {
    Path base = resolve(guestDir);
    Path p = base.resolve(relative).normalize();
    if (!p.startsWith(base)) {
      throw new SandboxEscapeException("path '" + shownAs + "' escapes " + guestDir);
    }
    return GuestPaths.confine(base, p, shownAs);
  }

  @Override
  public void close() {
    try {
      if (memoryFs != null) {
        entryCharge.close();
        memoryFs.close();
      } else if (hostRoot != null) {
        deleteTree(hostRoot);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the task sandbox: " + e.getMessage(), e);
    }
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
