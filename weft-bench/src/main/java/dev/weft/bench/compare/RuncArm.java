package dev.weft.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * (b) One OCI container per task with {@code runc run}: a fresh container (namespaces, cgroup,
 * read-only rootfs, bind mount) from a bundle, deleted when the program exits. The rootfs holds
 * only the statically linked programs (built with gcc against Debian's libc6-dev), so it is the
 * smallest image such a program can have.
 */
final class RuncArm implements Arm {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path work;
  private final Path rootfs;
  private final Path data;
  private final long memoryLimit;
  private final JsonNode spec;
  private final String prefix = "weftcmp-" + ProcessHandle.current().pid() + "-";
  private final Map<String, Path> bundles = new ConcurrentHashMap<>();
  private final ProcessTasks tasks = new ProcessTasks();

  private RuncArm(Path work, Path rootfs, Path data, long memoryLimit, JsonNode spec) {
    this.work = work;
    this.rootfs = rootfs;
    this.data = data;
    this.memoryLimit = memoryLimit;
    this.spec = spec;
  }

  /** Why this machine cannot run the container arm, if it cannot. */
  static Optional<String> unavailable() {
    try {
      Process p = new ProcessBuilder("runc", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) return Optional.of("`runc --version` failed");
    } catch (IOException | InterruptedException e) {
      return Optional.of("runc is not installed (apt-get install runc)");
    }
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      String uid = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      if (!uid.equals("0"))
        return Optional.of(
            "runc needs root here (rootless runc is not set up); running as uid " + uid);
    } catch (IOException | InterruptedException e) {
      return Optional.of("cannot tell the user id: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Builds the rootfs from the static programs in {@code bin} and takes {@code runc spec}'s
   * template.
   */
  static RuncArm create(Path work, Path bin, Path data, long memoryLimit)
      throws IOException, InterruptedException {
    Path rootfs = work.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("bin"));
    Files.createDirectories(rootfs.resolve("data"));
    for (Workload w : Workload.values()) {
      Files.copy(
          bin.resolve(w.program),
          rootfs.resolve("bin").resolve(w.program),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path specDir = Files.createDirectories(work.resolve("spec"));
    Files.deleteIfExists(specDir.resolve("config.json"));
    Process p =
        new ProcessBuilder("runc", "spec")
            .directory(specDir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException("runc spec failed: " + out.strip());
    return new RuncArm(
        work, rootfs, data, memoryLimit, JSON.readTree(specDir.resolve("config.json").toFile()));
  }

  @Override
  public String name() {
    return "runc";
  }

  @Override
  public TaskSample run(Workload w, int worker, long seq) {
    Path bundle;
    try {
      bundle = bundle(w, worker);
    } catch (IOException e) {
      long t = System.nanoTime();
      return TaskSample.failed(t, t, "cannot write bundle: " + e.getMessage());
    }
    String id = prefix + seq;
    ProcessTasks.Outcome o = tasks.exec(List.of("runc", "run", "--bundle", bundle.toString(), id));
    if (o.exit() != 0) tasks.exec(List.of("runc", "delete", "-f", id)); // leave no container behind
    return tasks.sample(o, Inputs.expected(w));
  }

  /** One bundle (a config.json) per worker and workload, written on first use. */
  private Path bundle(Workload w, int worker) throws IOException {
    String key = w.program + "-" + worker;
    Path b = bundles.get(key);
    if (b != null) return b;
    String d = RuncBundle.DATA;
    List<String> args =
        switch (w) {
          case HELLO -> List.of("/bin/hello");
          case IMAGE ->
              List.of("/bin/image", d + "/" + Inputs.IMAGE, d + "/out-" + worker + ".pgm");
          case COPY -> List.of("/bin/copy", d + "/" + Inputs.TEXT, d + "/out-" + worker + ".txt");
        };
    b = Files.createDirectories(work.resolve("bundles").resolve(key));
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(
            b.resolve("config.json").toFile(),
            RuncBundle.config(
                spec, rootfs.toAbsolutePath(), args, data.toAbsolutePath(), memoryLimit));
    bundles.put(key, b);
    return b;
  }

  @Override
  public Collection<Long> rootPids() {
    return List.copyOf(tasks.live());
  }
}
