package dev.weft.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the same workloads three ways on this machine, one arm after the other: (a) weft, Wasm tasks
 * through {@code weft serve}'s HTTP API; (b) one runc container per task; (c) one native process
 * per task. For each parallel level, N closed-loop clients submit tasks for a fixed time. Writes
 * {@code compare.csv}, PNG charts and {@code machine.txt} to the output directory.
 *
 * <p>Usage (see weft-bench/compare.sh, which builds the programs): {@code Compare --bin DIR --wasm
 * DIR --weft LAUNCHER [--out DIR] [--levels 1,2,4,8,16,32] [--seconds 5] [--warmup 5] [--arms
 * weft,runc,native] [--workloads hello,image,copy] [--memory-mib 64] [--weft-java-opts "FLAGS"]
 * [--port 3931]}: weft's server is started by the {@code ./weft} launcher with its own JVM defaults
 * unless {@code --weft-java-opts} gives others (as {@code WEFT_JAVA_OPTS}); {@code Compare --replot
 * CSV --out DIR} redraws the charts from a CSV.
 */
public final class Compare {
  private Compare() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> o = options(argv);
    if (o.containsKey("replot")) { // charts again from a CSV, without measuring
      List<Point> points = Csv.read(Path.of(o.get("replot")));
      Path dir = Files.createDirectories(Path.of(o.getOrDefault("out", ".")));
      Plots.write(dir, points, List.of("weft", "runc", "native"), List.of(Workload.values()));
      System.out.println("wrote charts to " + dir);
      return;
    }
    Path bin = Path.of(required(o, "bin")).toAbsolutePath();
    Path wasm = Path.of(required(o, "wasm")).toAbsolutePath();
    Path launcher = Path.of(required(o, "weft")).toAbsolutePath();
    Path out =
        Files.createDirectories(
            Path.of(o.getOrDefault("out", "weft-bench/target/compare")).toAbsolutePath());
    int[] levels =
        Arrays.stream(o.getOrDefault("levels", "1,2,4,8,16,32").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    double seconds = Double.parseDouble(o.getOrDefault("seconds", "5"));
    double warmup = Double.parseDouble(o.getOrDefault("warmup", "5"));
    List<String> arms = List.of(o.getOrDefault("arms", "weft,runc,native").split(","));
    List<Workload> workloads =
        Arrays.stream(o.getOrDefault("workloads", "hello,image,copy").split(","))
            .map(s -> Workload.valueOf(s.toUpperCase(Locale.ROOT)))
            .toList();
    long memoryMib = Long.parseLong(o.getOrDefault("memory-mib", "64"));
    long limit = memoryMib << 20;
    int cores = Runtime.getRuntime().availableProcessors();

    Path work = Files.createDirectories(out.resolve("work"));
    Path data = work.resolve("data");
    Inputs.write(data);
    String machine = machine(cores);
    Files.writeString(out.resolve("machine.txt"), machine);
    System.out.print(machine);

    List<Point> points = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    for (String armName : arms) {
      Arm arm;
      switch (armName) {
        case "native" -> arm = new NativeArm(bin, data);
        case "runc" -> {
          Optional<String> why = RuncArm.unavailable();
          if (why.isPresent()) {
            System.out.println("== runc: SKIPPED, the container arm cannot run here: " + why.get());
            continue;
          }
          arm = RuncArm.create(work.resolve("runc"), bin, data, limit);
          TaskSample trial = arm.run(Workload.HELLO, 0, 0);
          if (!trial.ok()) {
            System.out.println("== runc: SKIPPED, a trial container failed: " + trial.error());
            continue;
          }
        }
        case "weft" -> {
          WeftArm weft =
              WeftArm.start(
                  launcher,
                  wasm,
                  Files.createDirectories(work.resolve("weft")),
                  data,
                  o.getOrDefault("weft-java-opts", ""),
                  cores,
                  Integer.parseInt(o.getOrDefault("port", "3931")),
                  memoryMib + "MiB");
          String server = "weft server: " + weft.commandLine() + System.lineSeparator();
          Files.writeString(
              out.resolve("machine.txt"), server, java.nio.file.StandardOpenOption.APPEND);
          System.out.print(server);
          arm = weft;
        }
        default ->
            throw new IllegalArgumentException(
                "--arms: unknown arm '" + armName + "' (known: weft, runc, native)");
      }
      ran.add(armName);
      try (arm) {
        for (Workload w : workloads) {
          Point warm = measure(arm, w, 2, warmup, limit);
          System.out.printf(
              Locale.ROOT,
              "== %s %s: warm-up %d tasks, %d failed%n",
              arm.name(),
              w.id(),
              warm.ok(),
              warm.failed());
          for (int n : levels) {
            Point p = measure(arm, w, n, seconds, limit);
            points.add(p);
            System.out.printf(
                Locale.ROOT,
                "%-6s %-5s x%-2d %9.0f tasks/min  to-code p50 %8.3f p99 %8.3f ms  e2e p50 %8.3f ms  "
                    + "held %5.0f MiB  util %.4f (by limit %.4f)  failed %d%n",
                w.id(),
                arm.name(),
                n,
                p.tasksPerMinute(),
                p.toCodeP50(),
                p.toCodeP99(),
                p.e2eP50(),
                p.heldMeanBytes() / (1 << 20),
                p.utilisation(),
                p.utilisationByLimit(),
                p.failed());
            Csv.write(
                out.resolve("compare.csv"),
                points); // after every point: a crash keeps what was measured
          }
        }
      }
    }
    Plots.write(out, points, ran, workloads);
    System.out.println();
    System.out.print(ratios(points, levels));
    System.out.println("wrote " + out.resolve("compare.csv") + " and charts to " + out);
  }

  /**
   * Closed loop: {@code parallel} clients each submit a task, wait for it, and repeat until the
   * time is up.
   */
  static Point measure(Arm arm, Workload w, int parallel, double seconds, long limit)
      throws InterruptedException {
    ConcurrentLinkedQueue<TaskSample> samples = new ConcurrentLinkedQueue<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicLong seq = new AtomicLong();
    String[] firstError = {null};
    try (MemorySampler sampler =
        new MemorySampler(arm::rootPids, () -> arm.holding(inFlight.get()), limit, 10).start()) {
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      Thread[] clients = new Thread[parallel];
      for (int i = 0; i < parallel; i++) {
        int worker = i;
        clients[i] =
            new Thread(
                () -> {
                  while (System.nanoTime() < end) {
                    inFlight.incrementAndGet();
                    TaskSample s = arm.run(w, worker, seq.incrementAndGet());
                    inFlight.decrementAndGet();
                    samples.add(s);
                    if (!s.ok())
                      synchronized (firstError) {
                        if (firstError[0] == null) firstError[0] = s.error();
                      }
                  }
                },
                "client-" + i);
        clients[i].start();
      }
      for (Thread c : clients) c.join();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      sampler.close();
      if (firstError[0] != null)
        System.out.println(
            "   first failure ("
                + arm.name()
                + " "
                + w.id()
                + " x"
                + parallel
                + "): "
                + firstError[0]);
      return Point.of(
          w.id(),
          arm.name(),
          parallel,
          List.copyOf(samples),
          elapsed,
          sampler.heldRss(),
          sampler.heldByLimit(),
          sampler.maxRss(),
          limit);
    }
  }

  /**
   * weft against runc and native at each level: throughput and latency-to-code ratios, utilisation.
   */
  static String ratios(List<Point> points, int[] levels) {
    StringBuilder b = new StringBuilder();
    Map<String, Point> by = new HashMap<>();
    for (Point p : points) by.put(p.workload() + "/" + p.arm() + "/" + p.parallel(), p);
    for (Workload w : Workload.values()) {
      for (int n : levels) {
        Point weft = by.get(w.id() + "/weft/" + n),
            runc = by.get(w.id() + "/runc/" + n),
            nat = by.get(w.id() + "/native/" + n);
        if (weft == null) continue;
        b.append(
            String.format(
                Locale.ROOT, "%-5s x%-2d weft %8.0f/min", w.id(), n, weft.tasksPerMinute()));
        if (runc != null) {
          b.append(
              String.format(
                  Locale.ROOT,
                  "  throughput weft/runc %6.1fx  to-code p50 runc/weft %6.1fx",
                  weft.tasksPerMinute() / runc.tasksPerMinute(),
                  runc.toCodeP50() / weft.toCodeP50()));
        }
        if (nat != null) {
          b.append(
              String.format(
                  Locale.ROOT,
                  "  weft/native %5.2fx",
                  weft.tasksPerMinute() / nat.tasksPerMinute()));
        }
        b.append(
            String.format(
                Locale.ROOT,
                "  util peak weft %.4f runc %s native %s  limit weft %.4f runc %s native %s",
                weft.utilisation(),
                runc == null ? "-" : String.format(Locale.ROOT, "%.4f", runc.utilisation()),
                nat == null ? "-" : String.format(Locale.ROOT, "%.4f", nat.utilisation()),
                weft.utilisationByLimit(),
                runc == null ? "-" : String.format(Locale.ROOT, "%.4f", runc.utilisationByLimit()),
                nat == null ? "-" : String.format(Locale.ROOT, "%.4f", nat.utilisationByLimit())));
        if (runc != null)
          b.append(
              String.format(
                  Locale.ROOT,
                  "  util weft/runc peak %.1fx limit %.1fx",
                  weft.utilisation() / runc.utilisation(),
                  weft.utilisationByLimit() / runc.utilisationByLimit()));
        b.append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  static String machine(int cores) {
    String cpu = "unknown";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse("unknown");
    } catch (IOException e) {
      // not Linux: leave unknown
    }
    String kernel = read(Path.of("/proc/sys/kernel/osrelease"));
    long memKb = 0;
    try {
      memKb =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal:"))
              .findFirst()
              .map(MemorySampler::parseKb)
              .orElse(0L);
    } catch (IOException e) {
      // not Linux
    }
    return String.format(
        Locale.ROOT,
        "cores %d, CPU %s, memory %d GiB, kernel %s, JDK %s (%s), runc %s%n",
        cores,
        cpu,
        memKb >> 20,
        kernel,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        runcVersion());
  }

  private static String runcVersion() {
    try {
      Process p = new ProcessBuilder("runc", "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
      p.waitFor();
      return v.replace("runc version ", "");
    } catch (IOException | InterruptedException e) {
      return "not installed";
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Map<String, String> options(String[] argv) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length)
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      o.put(argv[i].substring(2), argv[++i]);
    }
    return o;
  }

  private static String required(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) throw new IllegalArgumentException("missing --" + name);
    return v;
  }
}
