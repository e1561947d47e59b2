package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.oci.ModuleStore;
import dev.weft.runtime.Engine;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftException;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fresh {@code weft serve} does before it reports ready: load the modules it pulled most
 * recently before a restart (their compiled code comes from the disk cache), and run a small
 * built-in module through the step path — template mapping, sandbox, WASI, reply JSON — and the
 * HTTP listener, so the JVM has loaded and compiled that code before Argo's first step arrives.
 * Nothing here is counted in the metrics or seen by clients.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  /** Modules restored from the disk cache; a bound on startup work, not on what can be served. */
  static final int RECENT_MODULES = 8;
  private static final int ROUNDS = 40;
  private static final Duration BUDGET = Duration.ofSeconds(10);
  private static final String TEMPLATE = """
      {"name":"warm-up","inputs":{"parameters":[{"name":"name","value":"weft"}]},
       "outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},
       "plugin":{"wasm":{"module":{"file":"warm-up.wasm"}}}}""";

  private final WeftRuntime runtime;
  private final ObjectMapper json;
  private final WasmStepParser steps;
  private final TemplateMapper templates;
  private final NodeResults replies;

  WarmUp(WeftRuntime runtime, ObjectMapper json, WasmStepParser steps, TemplateMapper templates, NodeResults replies) {
    this.runtime = runtime;
    this.json = json;
    this.steps = steps;
    this.templates = templates;
    this.replies = replies;
  }

  /** @return a line for the log saying what was done and how long it took */
  String run(ModuleStore pulled, int port, java.nio.file.FileSystem scratch, Engine configured) {
    Engine finalEngine = configured == Engine.INTERPRETER ? Engine.INTERPRETER : Engine.COMPILER;
    long t0 = System.nanoTime();
    long until = t0 + BUDGET.toNanos();
    List<LoadedModule> restoring = restore(pulled.recentModules(RECENT_MODULES));
    int rounds = 0;
    try {
      LoadedModule module = runtime.load(ModuleSource.bytes("warm-up.wasm", builtInModule()));
      JsonNode template = json.readTree(TEMPLATE);
      WasmStep step = steps.parse(template.path("plugin").path("wasm"));
      // until the module runs compiled (the tiered engine moves it there), then some more rounds
      int compiledRounds = 0;
      while (compiledRounds < ROUNDS && System.nanoTime() < until) {
        java.nio.file.Path dir = scratch.getPath("/warm-up-" + rounds);
        TaskSpec spec = templates.toTask("warm-up", template, step, dir);
        TaskResult r = runtime.run(module, spec);
        byte[] reply = json.writeValueAsBytes(replies.finished(r, template));
        if (!r.succeeded() || reply.length == 0) throw new IllegalStateException("warm-up step failed: " + r.message());
        if (r.engine() == finalEngine) compiledRounds++;
        rounds++;
        ping(port);
      }
    } catch (IOException | RuntimeException e) {
      // a server that could not warm up still serves; it is only slower at first
      LOG.warn("warm-up stopped early: {}", e.toString());
    }
    int restored = 0;
    try {
      for (LoadedModule m : restoring) {
        if (m.awaitCompiled(Duration.ofNanos(Math.max(1, until - System.nanoTime())))) {
          restored++;
          // one empty, capability-less run under a short limit: its class loading and first
          // execution happen now rather than in Argo's first step
          runtime.run(m, TaskSpec.builder().limits(dev.weft.runtime.Limits.defaults().withTimeout(Duration.ofMillis(200))).build());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return String.format("warmed up in %d ms (%d of %d cached modules restored compiled, %d warm-up steps)",
        (System.nanoTime() - t0) / 1_000_000, restored, restoring.size(), rounds);
  }

  /** Loads them; with the tiered engine their compiled code (from the disk cache) comes in the background. */
  private List<LoadedModule> restore(List<byte[]> modules) {
    List<LoadedModule> loaded = new java.util.ArrayList<>();
    for (byte[] m : modules) {
      try {
        loaded.add(runtime.load(ModuleSource.bytes("cached module", m)));
      } catch (WeftException e) {
        LOG.debug("cached module not restored: {}", e.getMessage());
      }
    }
    return loaded;
  }

  /** A GET of /healthz: the HTTP listener's own code paths. */
  private static void ping(int port) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/healthz").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      try (InputStream in = c.getInputStream()) {
        in.readAllBytes();
      }
    } catch (IOException e) {
      // bound to another interface: the step path still warms
    }
  }

  /** The example hello module, copied into the jar at build time. */
  static byte[] builtInModule() throws IOException {
    try (InputStream in = WarmUp.class.getResourceAsStream("hello.wasm")) {
      if (in == null) throw new IOException("the built-in warm-up module is missing from the jar");
      return in.readAllBytes();
    }
  }
}
