package dev.weft.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.StepSettings;
import dev.weft.argo.WasmPlugin;
import dev.weft.runtime.Engine;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor the agent's workers are compared with: the same {@code WasmPlugin.execute} of
 * PoolBench's {@code hello} template in a plain loop, on as many threads as the agent has workers,
 * with no queue, no API and no reporting. CPU per task from the loop threads' own CPU time.
 *
 * <p>Standalone: {@code InLoop MODULE_DIR [TASKS [THREADS]]}; PoolBench also runs it in its own JVM
 * after the pool, so both costs come from the same run.
 */
public final class InLoop {
  private InLoop() {}

  /** CPU per task and throughput of a loop run. */
  record Cost(
      int tasks,
      double cpuMsPerTask,
      double tasksPerSecond,
      double voluntarySwitches,
      double involuntarySwitches,
      double allocatedKiBPerTask) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d tasks: CPU per task %.3f ms, %.0f tasks/s, context switches per task %.2f voluntary, %.2f involuntary, allocated per task %.1f KiB",
          tasks,
          cpuMsPerTask,
          tasksPerSecond,
          voluntarySwitches,
          involuntarySwitches,
          allocatedKiBPerTask);
    }
  }

  /** This thread's voluntary and involuntary context switches so far. */
  static long[] ownSwitches() {
    long[] v = new long[2];
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("voluntary_ctxt_switches:"))
          v[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        if (line.startsWith("nonvoluntary_ctxt_switches:"))
          v[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    } catch (java.io.IOException e) {
      // no /proc: none counted
    }
    return v;
  }

  public static void main(String[] args) throws Exception {
    Path modules = Path.of(args[0]);
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int threads =
        args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    int noisePairs = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    try (WeftRuntime runtime = WeftRuntime.builder().engine(Engine.TIERED).build()) {
      for (int round = 1; round <= 2; round++)
        System.out.println(
            "in-loop warm-up round " + round + ": " + run(runtime, modules, tasks, threads));
      // alone and beside threads that wake each other, alternating, so both see the same machine
      for (int round = 1; round <= (noisePairs > 0 ? 3 : 1); round++) {
        System.out.println("in-loop alone: " + run(runtime, modules, tasks, threads));
        if (noisePairs == 0) continue;
        Noise noise = Noise.start(noisePairs);
        Cost c = run(runtime, modules, tasks, threads);
        noise.close();
        System.out.printf(
            Locale.ROOT,
            "in-loop beside %d ping-pong pairs: %s; the pairs' CPU per loop task %.3f ms%n",
            noisePairs,
            c,
            noise.cpuNanos() / 1e6 / tasks);
      }
    }
    System.exit(0);
  }

  /**
   * Threads in pairs that hand a token back and forth, parsing and writing a small JSON document
   * per hop: a stand-in for an event loop and its clients sharing the cores with the loop
   * (thousands of wake-ups a second, each running a little allocation-heavy code).
   */
  static final class Noise implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong cpu =
        new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stop;

    static Noise start(int pairs) {
      Noise n = new Noise();
      for (int p = 0; p < pairs; p++) {
        var ab = new java.util.concurrent.SynchronousQueue<String>();
        var ba = new java.util.concurrent.SynchronousQueue<String>();
        n.add("noise-" + p + "a", ab, ba, true);
        n.add("noise-" + p + "b", ba, ab, false);
      }
      return n;
    }

    private void add(
        String name,
        java.util.concurrent.SynchronousQueue<String> out,
        java.util.concurrent.SynchronousQueue<String> in,
        boolean first) {
      ObjectMapper json = new ObjectMapper();
      Thread t =
          new Thread(
              () -> {
                var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long c0 = mx.getCurrentThreadCpuTime();
                try {
                  String token = PoolBench.HELLO;
                  if (first) out.put(token);
                  while (!stop) {
                    token = in.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (token == null) continue;
                    token = json.writeValueAsString(json.readTree(token));
                    out.put(token);
                  }
                } catch (Exception e) {
                  // stopping
                } finally {
                  cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
                }
              },
              name);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    long cpuNanos() {
      return cpu.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      for (Thread t : threads) t.interrupt();
      for (Thread t : threads) t.join();
    }
  }

  static Cost run(WeftRuntime runtime, Path modules, int tasks, int threads) throws Exception {
    StepSettings d = StepSettings.defaults();
    StepSettings steps =
        new StepSettings(
            Optional.of(modules),
            d.cacheDir(),
            d.cacheMaxBytes(),
            d.limits(),
            d.registries(),
            d.artifacts(),
            Engine.TIERED,
            d.capabilities());
    ObjectMapper json = new ObjectMapper();
    JsonNode template = json.readTree(PoolBench.HELLO);
    try (WasmPlugin plugin = WasmPlugin.create(runtime, steps)) {
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      long[] cpu = new long[threads];
      long[][] switches = new long[threads][];
      long[] allocated = new long[threads];
      List<Thread> ts = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < threads; i++) {
        int slot = i;
        Thread t =
            new Thread(
                null,
                () -> {
                  var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                  long c0 = mx.getCurrentThreadCpuTime();
                  long[] s0 = ownSwitches();
                  long a0 = ThreadCpu.allocatedBytes();
                  int n;
                  while ((n = next.getAndIncrement()) < tasks) {
                    ObjectNode meta =
                        json.createObjectNode()
                            .put("name", "loop")
                            .put("namespace", "argo")
                            .put("uid", "loop-" + n);
                    if (!plugin.execute(meta, template).node().succeeded())
                      failed.incrementAndGet();
                  }
                  cpu[slot] = mx.getCurrentThreadCpuTime() - c0;
                  allocated[slot] = ThreadCpu.allocatedBytes() - a0;
                  long[] s1 = ownSwitches();
                  switches[slot] = new long[] {s1[0] - s0[0], s1[1] - s0[1]};
                },
                "in-loop-" + i,
                16L << 20);
        ts.add(t);
        t.start();
      }
      for (Thread t : ts) t.join();
      long wall = System.nanoTime() - t0;
      if (failed.get() > 0) throw new IllegalStateException(failed + " loop tasks failed");
      long total = 0;
      long voluntary = 0;
      long involuntary = 0;
      long bytes = 0;
      for (int i = 0; i < threads; i++) {
        bytes += allocated[i];
        total += cpu[i];
        voluntary += switches[i][0];
        involuntary += switches[i][1];
      }
      return new Cost(
          tasks,
          total / 1e6 / tasks,
          tasks / (wall / 1e9),
          voluntary / (double) tasks,
          involuntary / (double) tasks,
          bytes / 1024.0 / tasks);
    }
  }
}
