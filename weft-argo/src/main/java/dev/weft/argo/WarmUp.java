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
  private static final int FIRST_RUN_ROUNDS = 30;
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
  private final java.util.Optional<String> token;
  private final java.util.function.BiFunction<JsonNode, JsonNode, String> keyOf;

  WarmUp(WeftRuntime runtime, ObjectMapper json, WasmStepParser steps, TemplateMapper templates, NodeResults replies,
      java.util.Optional<String> token, java.util.function.BiFunction<JsonNode, JsonNode, String> keyOf) {
    this.keyOf = keyOf;
    this.token = token;
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
    TaskTracker pool = null;
    try {
      LoadedModule module = runtime.load(ModuleSource.bytes("warm-up.wasm", builtInModule()));
      JsonNode template = json.readTree(TEMPLATE);
      WasmStep step = steps.parse(template.path("plugin").path("wasm"));
      pool = new TaskTracker(1, 2, Duration.ofSeconds(1), BUDGET, 1L << 20);
      // until the module runs compiled (the tiered engine moves it there), then some more rounds
      int compiledRounds = 0;
      while (compiledRounds < ROUNDS && System.nanoTime() < until) {
        java.nio.file.Path dir = scratch.getPath("/warm-up-" + rounds);
        // as a real step goes: its request key, a worker pool, the reply; the pool is one of the
        // warm-up's own (the JIT warms code, not instances), so requests never wait behind it
        String key = keyOf.apply(json.createObjectNode().put("uid", "weft-warm-up"), template);
        TaskResult[] ran = new TaskResult[1];
        TaskTracker.Entry entry = pool.submit(key + rounds, () -> {
          ran[0] = runtime.run(module, templates.toTask("warm-up", template, step, dir));
          return replies.finished(ran[0], template);
        });
        byte[] reply = json.writeValueAsBytes(entry.reply.get(BUDGET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        TaskResult r = ran[0];
        if (!r.succeeded() || reply.length == 0) throw new IllegalStateException("warm-up step failed: " + r.message());
        if (r.engine() == finalEngine) compiledRounds++;
        rounds++;
        ping(port);
      }
    } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a server that could not warm up still serves; it is only slower at first
      LOG.warn("warm-up stopped early: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (pool != null) pool.close();
    }
    warmFirstRuns(until);
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

  /**
   * A module new to the server is parsed and starts in the interpreter (tiered engine): both are
   * cold code in a fresh JVM. Parsing and interpreting the built-in module a few times, on a
   * runtime of its own that keeps nothing, makes a new module's first step cheaper.
   */
  private void warmFirstRuns(long until) {
    try {
      byte[] bytes = builtInModule();
      WeftRuntime fresh = WeftRuntime.builder().engine(Engine.INTERPRETER).cacheMaxBytes(0).build();
      TaskSpec spec = TaskSpec.builder().parameter("name", "weft").build();
      for (int i = 0; i < FIRST_RUN_ROUNDS && System.nanoTime() < until; i++) {
        fresh.run(ModuleSource.bytes("warm-up.wasm", bytes), spec);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("warm-up of first runs stopped early: {}", e.toString());
    }
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

  /**
   * The HTTP listener's own code paths: a GET of /healthz, and a POST to the step route with an
   * empty object, which is answered 400 before any step is made (not counted in the metrics).
   */
  private void ping(int port) {
    try {
      HttpURLConnection get = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/healthz").toURL().openConnection();
      get.setConnectTimeout(1000);
      get.setReadTimeout(1000);
      try (InputStream in = get.getInputStream()) {
        in.readAllBytes();
      }
      HttpURLConnection post = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + PluginServer.EXECUTE).toURL().openConnection();
      post.setConnectTimeout(1000);
      post.setReadTimeout(1000);
      post.setRequestMethod("POST");
      post.setDoOutput(true);
      post.setRequestProperty("Content-Type", "application/json");
      token.ifPresent(t -> post.setRequestProperty("Authorization", "Bearer " + t));
      try (var out = post.getOutputStream()) {
        out.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      int status = post.getResponseCode();
      try (InputStream in = status >= 400 ? post.getErrorStream() : post.getInputStream()) {
        if (in != null) in.readAllBytes();
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
