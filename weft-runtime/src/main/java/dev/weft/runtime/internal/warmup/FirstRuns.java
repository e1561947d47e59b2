package dev.weft.runtime.internal.warmup;

import dev.weft.runtime.Engine;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A module new to a process is parsed, validated and starts in the interpreter (tiered engine):
 * cold code in a fresh JVM, and code whose JIT profile decides how fast the next new module runs.
 * HotSpot compiles the interpreter's dispatch with the branches it has seen taken; an opcode the
 * profile never saw sends it back to the JVM's own interpreter (a deoptimisation) in the middle of
 * someone's step. So built-in modules are parsed and interpreted, on a runtime of their own that
 * keeps nothing, in turns: hello (C), opmix (most MVP opcodes) and workload (Rust std code), until
 * the JIT compilers have gone quiet or the budget is spent.
 */
public final class FirstRuns {
  /** Built-in modules, copied into the jar from examples/modules at build time. */
  public static final List<String> MODULES = List.of("hello.wasm", "opmix.wasm", "workload.wasm");

  private static final int MIN_ROUNDS = 10;
  private static final int MAX_ROUNDS = 200;

  private FirstRuns() {}

  /**
   * @return the rounds run
   */
  public static int warm(Duration budget, BooleanSupplier stopped) throws IOException {
    List<byte[]> modules = new ArrayList<>();
    for (String name : MODULES) modules.add(builtIn(name));
    int round = 0;
    try (WeftRuntime fresh =
        WeftRuntime.builder().engine(Engine.INTERPRETER).cacheMaxBytes(0).build()) {
      TaskSpec spec = TaskSpec.builder().parameter("name", "weft").build();
      long until = System.nanoTime() + budget.toNanos();
      JitActivity jit = new JitActivity();
      for (; round < MAX_ROUNDS && System.nanoTime() < until && !stopped.getAsBoolean(); round++) {
        for (int i = 0; i < modules.size(); i++) {
          TaskResult r = fresh.run(ModuleSource.bytes(MODULES.get(i), modules.get(i)), spec);
          if (!r.succeeded())
            throw new IllegalStateException(
                "built-in module " + MODULES.get(i) + " failed: " + r.message());
        }
        if (round + 1 >= MIN_ROUNDS && jit.quietFor(3)) return round + 1;
      }
    }
    return round;
  }

  /** A module copied into the jar at build time from examples/modules (hello, warmup). */
  public static byte[] builtIn(String name) throws IOException {
    try (InputStream in = FirstRuns.class.getResourceAsStream(name)) {
      if (in == null)
        throw new IOException("the built-in warm-up module " + name + " is missing from the jar");
      return in.readAllBytes();
    }
  }

  /** Whether HotSpot's compilers have stopped working: little compile time added per round. */
  private static final class JitActivity {
    private final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    private long last = total();
    private long lastWall = System.nanoTime();
    private int quietRounds;

    private long total() {
      return bean != null && bean.isCompilationTimeMonitoringSupported()
          ? bean.getTotalCompilationTime()
          : -1;
    }

    /**
     * Call once per round; true once in each of the last {@code rounds} rounds the compilers worked
     * for less than half the round's wall time (they run on threads of their own).
     */
    boolean quietFor(int rounds) {
      long now = total();
      long wall = System.nanoTime();
      if (now < 0) return false; // not measurable: the round and time limits decide
      quietRounds = (now - last) * 2 < (wall - lastWall) / 1_000_000 ? quietRounds + 1 : 0;
      last = now;
      lastWall = wall;
      return quietRounds >= rounds;
    }
  }
}
