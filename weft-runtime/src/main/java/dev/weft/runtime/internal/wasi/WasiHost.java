package dev.weft.runtime.internal.wasi;

import static dev.weft.runtime.internal.wasi.Guest.i32;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.ProviderMismatchException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * weft's WASI preview 1 ({@code wasi_snapshot_preview1}) host for one task, on Chicory's host
 * function API. It replaces Chicory's {@code WasiPreview1} to give the semantics the specification
 * and wasmtime give on both of weft's storages (docs/design.md lists each difference). Not
 * thread-safe: one task, one thread.
 */
public final class WasiHost implements AutoCloseable {
  public static final String MODULE = "wasi_snapshot_preview1";

  /**
   * Shared: SecureRandom is thread-safe, and seeding one per task would cost more than the task.
   * Made on the first random_get (a holder class), not when the host functions are listed: finding
   * and seeding the provider is start-up work a module that never asks for randomness should not
   * pay.
   */
  private static final class Randomness {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  private final List<byte[]> args;
  private final List<byte[]> env;
  private final FdTable table = new FdTable();
  private final FdCalls fd;
  private final PathCalls path;
  private final Clocks clocks;
  private final SandboxSpace space;

  public WasiHost(WasiConfig config) {
    this.args =
        config.args().stream().map(a -> (a + "\0").getBytes(StandardCharsets.UTF_8)).toList();
    this.env =
        config.env().stream()
            .map(e -> (e.getKey() + "=" + e.getValue() + "\0").getBytes(StandardCharsets.UTF_8))
            .toList();
    table.add(new Descriptor.Input(config.stdin()));
    table.add(new Descriptor.Output(config.stdout()));
    table.add(new Descriptor.Output(config.stderr()));
    for (WasiConfig.Preopen p : config.preopens()) {
      table.add(
          new Descriptor.Dir(
              p.hostPath(), Optional.of(p.guestPath()), Abi.DIRECTORY_RIGHTS, Abi.ALL_RIGHTS));
    }
    this.fd = new FdCalls(table);
    this.space = config.space();
    this.path = new PathCalls(table, space);
    this.clocks = new Clocks(fd);
  }

  /** Name → type of every function weft provides, for checking a module's imports at load. */
  public static Map<String, FunctionType> signatures() {
    Map<String, FunctionType> m = new LinkedHashMap<>();
    OutputStream none = OutputStream.nullOutputStream();
    try (WasiHost h =
        new WasiHost(
            new WasiConfig(
                List.of(),
                List.of(),
                new ByteArrayInputStream(new byte[0]),
                none,
                none,
                List.of()))) {
      for (HostFunction f : h.hostFunctions()) m.put(f.name(), f.functionType());
    }
    return m;
  }

  /** A host function body: reads its arguments, returns an errno or throws {@link Errno}. */
  @FunctionalInterface
  private interface Body {
    int call(Memory m, long[] a) throws IOException;
  }

  public HostFunction[] hostFunctions() {
    List<HostFunction> f = new ArrayList<>();
    def(f, "args_sizes_get", "ii", (m, a) -> sizes(m, args, a[0], a[1]));
    def(f, "args_get", "ii", (m, a) -> strings(m, args, a[0], a[1]));
    def(f, "environ_sizes_get", "ii", (m, a) -> sizes(m, env, a[0], a[1]));
    def(f, "environ_get", "ii", (m, a) -> strings(m, env, a[0], a[1]));
    def(f, "clock_res_get", "ii", (m, a) -> clocks.resGet(m, a[0], a[1]));
    def(f, "clock_time_get", "iIi", (m, a) -> clocks.timeGet(m, a[0], a[1], a[2]));
    def(f, "fd_advise", "iIIi", (m, a) -> fd.advise(a[0], a[1], a[2], a[3]));
    def(f, "fd_allocate", "iII", (m, a) -> fd.allocate(a[0], a[1], a[2]));
    def(f, "fd_close", "i", (m, a) -> fd.close(a[0]));
    def(f, "fd_datasync", "i", (m, a) -> fd.sync(a[0], false));
    def(f, "fd_fdstat_get", "ii", (m, a) -> fd.fdstatGet(m, a[0], a[1]));
    def(f, "fd_fdstat_set_flags", "ii", (m, a) -> fd.fdstatSetFlags(a[0], a[1]));
    def(f, "fd_fdstat_set_rights", "iII", (m, a) -> fd.fdstatSetRights(a[0], a[1], a[2]));
    def(f, "fd_filestat_get", "ii", (m, a) -> fd.filestatGet(m, a[0], a[1]));
    def(f, "fd_filestat_set_size", "iI", (m, a) -> fd.filestatSetSize(a[0], a[1]));
    def(f, "fd_filestat_set_times", "iIIi", (m, a) -> fd.filestatSetTimes(a[0], a[1], a[2], a[3]));
    def(f, "fd_pread", "iiiIi", (m, a) -> fd.pread(m, a[0], a[1], a[2], a[3], a[4]));
    def(f, "fd_prestat_get", "ii", (m, a) -> fd.prestatGet(m, a[0], a[1]));
    def(f, "fd_prestat_dir_name", "iii", (m, a) -> fd.prestatDirName(m, a[0], a[1], a[2]));
    def(f, "fd_pwrite", "iiiIi", (m, a) -> fd.pwrite(m, a[0], a[1], a[2], a[3], a[4]));
    def(f, "fd_read", "iiii", (m, a) -> fd.read(m, a[0], a[1], a[2], a[3]));
    def(f, "fd_readdir", "iiiIi", (m, a) -> fd.readdir(m, a[0], a[1], a[2], a[3], a[4]));
    def(f, "fd_renumber", "ii", (m, a) -> fd.renumber(a[0], a[1]));
    def(f, "fd_seek", "iIii", (m, a) -> fd.seek(m, a[0], a[1], a[2], a[3]));
    def(f, "fd_sync", "i", (m, a) -> fd.sync(a[0], true));
    def(f, "fd_tell", "ii", (m, a) -> fd.tell(m, a[0], a[1]));
    def(f, "fd_write", "iiii", (m, a) -> fd.write(m, a[0], a[1], a[2], a[3]));
    def(f, "path_create_directory", "iii", (m, a) -> path.createDirectory(m, a[0], a[1], a[2]));
    def(
        f,
        "path_filestat_get",
        "iiiii",
        (m, a) -> path.filestatGet(m, a[0], a[1], a[2], a[3], a[4]));
    def(
        f,
        "path_filestat_set_times",
        "iiiiIIi",
        (m, a) -> path.filestatSetTimes(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6]));
    def(
        f,
        "path_link",
        "iiiiiii",
        (m, a) -> path.link(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6]));
    def(
        f,
        "path_open",
        "iiiiiIIii",
        (m, a) -> path.open(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]));
    def(
        f,
        "path_readlink",
        "iiiiii",
        (m, a) -> path.readlink(m, a[0], a[1], a[2], a[3], a[4], a[5]));
    def(f, "path_remove_directory", "iii", (m, a) -> path.removeDirectory(m, a[0], a[1], a[2]));
    def(f, "path_rename", "iiiiii", (m, a) -> path.rename(m, a[0], a[1], a[2], a[3], a[4], a[5]));
    def(f, "path_symlink", "iiiii", (m, a) -> path.symlink(m, a[0], a[1], a[2], a[3], a[4]));
    def(f, "path_unlink_file", "iii", (m, a) -> path.unlinkFile(m, a[0], a[1], a[2]));
    def(f, "poll_oneoff", "iiii", (m, a) -> clocks.pollOneoff(m, a[0], a[1], a[2], a[3]));
    f.add(
        new HostFunction(
            MODULE,
            "proc_exit",
            PROC_EXIT,
            (inst, a) -> {
              // every exit code, 0 included, ends the run the same way; TaskRunner reads exitCode()
              throw new WasiExitException(i32(a[0]));
            }));
    def(f, "proc_raise", "i", (m, a) -> Abi.ENOSYS); // no signals in a task
    def(f, "random_get", "ii", (m, a) -> random(m, a[0], a[1]));
    def(
        f,
        "sched_yield",
        "",
        (m, a) -> {
          Thread.yield();
          return Abi.SUCCESS;
        });
    // weft gives tasks no sockets: every descriptor is a file, a directory or stdio
    def(f, "sock_accept", "iii", (m, a) -> notSocket(a[0]));
    def(f, "sock_recv", "iiiiii", (m, a) -> notSocket(a[0]));
    def(f, "sock_send", "iiiii", (m, a) -> notSocket(a[0]));
    def(f, "sock_shutdown", "ii", (m, a) -> notSocket(a[0]));
    return f.toArray(new HostFunction[0]);
  }

  /**
   * Function types by parameter letters: every task builds its ~45 host functions, and building
   * their types each time was about a twentieth of a {@code hello} task's CPU. Types are immutable.
   */
  private static final FunctionType PROC_EXIT = FunctionType.of(List.of(ValType.I32), List.of());

  private static final Map<String, FunctionType> TYPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  static FunctionType type(String params) {
    return TYPES.computeIfAbsent(
        params,
        p -> {
          List<ValType> types = new ArrayList<>();
          for (char c : p.toCharArray()) types.add(c == 'I' ? ValType.I64 : ValType.I32);
          return FunctionType.of(types, List.of(ValType.I32));
        });
  }

  private void def(List<HostFunction> out, String name, String params, Body body) {
    out.add(
        new HostFunction(
            MODULE,
            name,
            type(params),
            (inst, a) -> {
              int errno;
              try {
                errno = body.call(inst.memory(), a);
              } catch (Errno e) {
                errno = e.code;
              } catch (IOException e) {
                errno = Errno.of(e);
              } catch (UnsupportedOperationException e) {
                errno = Abi.ENOTSUP; // e.g. a file system without symlinks or hard links
              } catch (ProviderMismatchException e) {
                errno = Abi.EXDEV; // between the in-memory sandbox and a host mount
              } catch (InvalidPathException e) {
                errno = Abi.EINVAL;
              }
              if (errno == Abi.ENOSPC) space.refused();
              return new long[] {errno};
            }));
  }

  private static int sizes(Memory m, List<byte[]> items, long countPtr, long sizePtr) {
    m.writeI32(i32(countPtr), items.size());
    m.writeI32(i32(sizePtr), items.stream().mapToInt(b -> b.length).sum());
    return Abi.SUCCESS;
  }

  private static int strings(Memory m, List<byte[]> items, long ptrs, long buf) {
    int p = i32(ptrs);
    int b = i32(buf);
    for (byte[] item : items) {
      m.writeI32(p, b);
      m.write(b, item);
      p += 4;
      b += item.length;
    }
    return Abi.SUCCESS;
  }

  private static int random(Memory m, long buf, long len) {
    byte[] chunk = new byte[(int) Math.min(len, 64 * 1024)];
    for (long done = 0; done < len; done += chunk.length) {
      if (len - done < chunk.length) chunk = new byte[(int) (len - done)];
      Randomness.RANDOM.nextBytes(chunk);
      m.write(i32(buf) + (int) done, chunk);
    }
    return Abi.SUCCESS;
  }

  private int notSocket(long sock) {
    fd.fd(sock);
    return Abi.ENOTSOCK;
  }

  /** Closes every file the task left open; its streams belong to the caller. */
  @Override
  public void close() {
    table.closeAll();
  }
}
