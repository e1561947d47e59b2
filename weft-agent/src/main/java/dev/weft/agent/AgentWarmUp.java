package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.argo.StepRun;
import dev.weft.argo.WasmPlugin;
import dev.weft.argo.WasmStep;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a replica does before it joins the pool: run the built-in hello module through the step path
 * (template mapping, sandbox, WASI, result JSON) until it runs compiled, then warm the first-run
 * path of new modules, so that the first tasks it takes do not pay for a cold JIT.
 */
final class AgentWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(AgentWarmUp.class);
  private static final String TEMPLATE =
      """
      {"name":"warm-up","inputs":{"parameters":[{"name":"name","value":"weft"}]},
       "outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},
       "plugin":{"wasm":{"module":{"file":"warm-up.wasm"}}}}""";

  private AgentWarmUp() {}

  /**
   * @return a line for the log
   */
  static String run(WasmPlugin plugin, Duration budget, BooleanSupplier stopped) {
    if (budget.isZero()) return "no warm-up (--warm-up 0)";
    long t0 = System.nanoTime();
    long until = t0 + budget.toNanos();
    int rounds = 0;
    try {
      LoadedModule module =
          plugin.runtime().load(ModuleSource.bytes("warm-up.wasm", builtInModule()));
      JsonNode template = TaskSet.JSON.readTree(TEMPLATE);
      WasmStep step = plugin.parse(template.path("plugin").path("wasm"));
      JsonNode meta =
          TaskSet.JSON
              .createObjectNode()
              .put("name", "warm-up")
              .put("namespace", "weft")
              .put("uid", "weft-warm-up");
      // two thirds of the budget on the step path, the rest on first runs of new modules
      long stepUntil = t0 + budget.toNanos() * 2 / 3;
      while (System.nanoTime() < stepUntil && !stopped.getAsBoolean() && rounds < 400) {
        StepRun r = plugin.run(meta, template, step, module);
        if (!r.node().succeeded())
          throw new IllegalStateException("warm-up step failed: " + r.node().message());
        TaskSet.JSON.writeValueAsBytes(r.node().toJson());
        rounds++;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "warm-up stopped early: {}",
          e.toString()); // a cold replica still works, only slower at first
    }
    int firstRuns = 0;
    try {
      firstRuns =
          WeftRuntime.warmUp(Duration.ofNanos(Math.max(0, until - System.nanoTime())), stopped);
    } catch (RuntimeException e) {
      LOG.warn("warm-up of first runs stopped early: {}", e.toString());
    }
    return String.format(
        "warmed up in %d ms (%d steps, %d rounds of first runs)",
        (System.nanoTime() - t0) / 1_000_000, rounds, firstRuns);
  }

  /** The example hello module, copied into the jar at build time. */
  static byte[] builtInModule() throws IOException {
    try (InputStream in = AgentWarmUp.class.getResourceAsStream("hello.wasm")) {
      if (in == null)
        throw new IOException("the built-in warm-up module hello.wasm is missing from the jar");
      return in.readAllBytes();
    }
  }
}
