package dev.weft.bench;

import dev.weft.runtime.Limits;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One compute kernel under weft only, in this JVM, for looking at what the JIT makes of it (JVM
 * flags, {@code -XX:CompileCommand=print,...}) without ComputeComparison's native and Node runs.
 * Each round is one task of 15 repetitions; it prints the median and the fastest of the last 10,
 * from the kernel's own timer.
 *
 * <p>Usage: {@code ComputeInProcess COMPUTE_WASM KERNEL SIZE [rounds]}, e.g. {@code
 * examples/modules/compute/compute.wasm desaturate 3072 3}
 */
public final class ComputeInProcess {
  public static void main(String[] a) {
    if (a.length < 3) {
      System.err.println("usage: ComputeInProcess COMPUTE_WASM KERNEL SIZE [rounds]");
      System.exit(2);
    }
    int rounds = a.length > 3 ? Integer.parseInt(a[3]) : 3;
    WeftRuntime weft = WeftRuntime.create();
    LoadedModule module = weft.load(ModuleSource.file(Path.of(a[0])));
    Limits limits = Limits.defaults().withMemoryBytes(1L << 30).withTimeout(Duration.ofMinutes(10));
    for (int r = 0; r < rounds; r++) {
      TaskResult t =
          weft.run(
              module, TaskSpec.builder().args(List.of(a[1], a[2], "15")).limits(limits).build());
      if (!t.succeeded())
        throw new IllegalStateException("kernel " + a[1] + " failed: " + t.message());
      List<Double> ms = new ArrayList<>();
      for (String line : t.stdoutTail().split("\n")) {
        if (line.startsWith("rep ")) ms.add(Long.parseLong(line.split(" ")[2]) / 1e6);
      }
      List<Double> steady = new ArrayList<>(ms.subList(5, ms.size()));
      Collections.sort(steady);
      System.out.printf(
          Locale.ROOT,
          "%s round %d: median %.1f ms, fastest %.1f ms%n",
          a[1],
          r,
          steady.get(steady.size() / 2),
          steady.get(0));
    }
  }
}
