package dev.weft.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.StepRun;
import dev.weft.argo.WasmPlugin;
import dev.weft.argo.WasmStep;
import dev.weft.oci.ImageRef;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private static final Duration FIRST_RUN_BUDGET = Duration.ofSeconds(5);
  private static final Duration BUDGET = Duration.ofSeconds(10);
  private static final String TEMPLATE =
      """
      {"name":"warm-up","inputs":{"parameters":[{"name":"name","value":"weft"}]},
       "outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},
       "plugin":{"wasm":{"module":{"file":"warm-up.wasm"}}}}""";

  private final WasmPlugin plugin;
  private final WeftRuntime runtime;
  private final ObjectMapper json = new ObjectMapper();
  private final java.util.Optional<String> token;
  private final java.util.function.BiFunction<JsonNode, JsonNode, String> keyOf;
  private java.util.function.BooleanSupplier stopped = () -> false;

  /** Configured as the registry client's is; dropped with the warm-up. */
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  WarmUp(
      WasmPlugin plugin,
      java.util.Optional<String> token,
      java.util.function.BiFunction<JsonNode, JsonNode, String> keyOf) {
    this.plugin = plugin;
    this.runtime = plugin.runtime();
    this.keyOf = keyOf;
    this.token = token;
  }

  /**
   * @param serve loads a restored module the way a step naming it would, so the server remembers it
   * @param stopped true once the server is closing: the warm-up ends early
   * @return a line for the log saying what was done and how long it took
   */
  String run(
      java.util.function.Consumer<ImageRef> serve,
      int port,
      Engine configured,
      java.util.function.BooleanSupplier stopped) {
    this.stopped = stopped;
    Engine finalEngine = configured == Engine.INTERPRETER ? Engine.INTERPRETER : Engine.COMPILER;
    long t0 = System.nanoTime();
    long until = t0 + BUDGET.toNanos();
    if (leavesHugeMethodsInterpreted()) {
      LOG.warn(
          "the JVM runs without -XX:-DontCompileHugeMethods, so Chicory's validator is never JIT-compiled and a module new "
              + "to this server loads more slowly; the weft launcher and container image set it");
    }
    // a step that came with the start (Argo's agent sends it as soon as the port accepts) goes
    // first: on two cores the warm start would otherwise share the CPU with it
    if (stopped.getAsBoolean()) return "warm-up skipped: the server is closing";
    List<Restoring> restoring = restore(plugin.registryModules().recentModules(RECENT_MODULES));
    int rounds = 0;
    TaskTracker pool = null;
    try {
      LoadedModule module = runtime.load(ModuleSource.bytes("warm-up.wasm", builtInModule()));
      JsonNode template = json.readTree(TEMPLATE);
      WasmStep step = plugin.parse(template.path("plugin").path("wasm"));
      JsonNode meta = json.createObjectNode().put("name", "warm-up").put("uid", "weft-warm-up");
      pool = new TaskTracker(1, 2, Duration.ofSeconds(1), BUDGET, 1L << 20);
      // until the module runs compiled (the tiered engine moves it there), then some more rounds
      int compiledRounds = 0;
      while (compiledRounds < ROUNDS && System.nanoTime() < until && !stopped.getAsBoolean()) {
        // as a real step goes: its request key, a worker pool, the reply; the pool is one of the
        // warm-up's own (the JIT warms code, not instances), so requests never wait behind it
        String key = keyOf.apply(json.createObjectNode().put("uid", "weft-warm-up"), template);
        TaskResult[] ran = new TaskResult[1];
        TaskTracker.Entry entry =
            pool.submit(
                key + rounds,
                () -> {
                  StepRun run = plugin.run(meta, template, step, module);
                  ran[0] =
                      run.task()
                          .orElseThrow(
                              () ->
                                  new IllegalStateException(
                                      "warm-up step refused: " + run.node().message()));
                  ObjectNode reply = json.createObjectNode();
                  reply.set("node", run.node().toJson());
                  return reply;
                });
        byte[] reply =
            json.writeValueAsBytes(
                entry.reply.get(BUDGET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        TaskResult r = ran[0];
        if (!r.succeeded() || reply.length == 0)
          throw new IllegalStateException("warm-up step failed: " + r.message());
        if (r.engine() == finalEngine) compiledRounds++;
        rounds++;
        ping(port);
      }
    } catch (IOException
        | RuntimeException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      // a server that could not warm up still serves; it is only slower at first
      LOG.warn("warm-up stopped early: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (pool != null) pool.close();
    }
    long t1 = System.nanoTime();
    int firstRunRounds = warmFirstRuns(until);
    long t2 = System.nanoTime();
    int restored = 0;
    try {
      for (Restoring r : restoring) {
        if (stopped.getAsBoolean()) break;
        if (r.module().awaitCompiled(Duration.ofNanos(Math.max(1, until - System.nanoTime())))) {
          restored++;
          // one empty, capability-less run under a short limit: its class loading and first
          // execution happen now rather than in Argo's first step
          runtime.run(
              r.module(),
              TaskSpec.builder()
                  .limits(dev.weft.runtime.Limits.defaults().withTimeout(Duration.ofMillis(200)))
                  .build());
          // and the references it was pulled as resolve now (from memory), as a step's would
          for (ImageRef ref : r.references()) {
            try {
              serve.accept(ref);
            } catch (RuntimeException e) {
              LOG.debug("restored reference {} not served: {}", ref, e.toString());
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return String.format(
        "warmed up in %d ms (%d warm-up steps in %d ms, %d rounds of first runs in %d ms, %d of %d cached modules restored compiled)",
        (System.nanoTime() - t0) / 1_000_000,
        rounds,
        (t1 - t0) / 1_000_000,
        firstRunRounds,
        (t2 - t1) / 1_000_000,
        restored,
        restoring.size());
  }

  /** The first runs of modules new to the server: see {@link WeftRuntime#warmUp}. */
  private int warmFirstRuns(long until) {
    try {
      return WeftRuntime.warmUp(
          Duration.ofNanos(
              Math.max(0, Math.min(until - System.nanoTime(), FIRST_RUN_BUDGET.toNanos()))),
          stopped);
    } catch (RuntimeException e) {
      LOG.warn("warm-up of first runs stopped early: {}", e.toString());
      return 0;
    }
  }

  /**
   * Whether HotSpot refuses to compile methods over 8000 bytes of bytecode. Chicory's validator is
   * one (about 9.4 KB): without {@code -XX:-DontCompileHugeMethods} it always runs in the JVM's
   * interpreter, and validating a new 160 KB module takes about 25 ms instead of 10.
   */
  static boolean leavesHugeMethodsInterpreted() {
    try {
      var hotspot =
          java.lang.management.ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class);
      return hotspot != null
          && "true".equals(hotspot.getVMOption("DontCompileHugeMethods").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot: nothing to advise
    }
  }

  private record Restoring(LoadedModule module, List<ImageRef> references) {}

  /**
   * Loads them; with the tiered engine their compiled code (from the disk cache) comes in the
   * background.
   */
  private List<Restoring> restore(List<ModuleStore.Restored> modules) {
    List<Restoring> loaded = new java.util.ArrayList<>();
    for (ModuleStore.Restored m : modules) {
      try {
        loaded.add(
            new Restoring(
                runtime.load(ModuleSource.bytes("cached module", m.module())), m.references()));
      } catch (WeftException e) {
        LOG.debug("cached module not restored: {}", e.getMessage());
      }
    }
    return loaded;
  }

  /**
   * The HTTP listener's own code paths: a GET of /healthz, and a POST to the step route with an
   * empty object, which is answered 400 before any step is made (not counted in the metrics). Sent
   * with {@code java.net.http}, the client the registry client uses, so pulling a module new to the
   * server does not start on a cold HTTP client either.
   */
  private void ping(int port) {
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      HttpResponse<InputStream> health =
          client.send(
              HttpRequest.newBuilder(base.resolve("/healthz"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = health.body()) {
        in.readAllBytes();
      }
      HttpRequest.Builder post =
          HttpRequest.newBuilder(base.resolve(PluginServer.EXECUTE))
              .timeout(Duration.ofSeconds(1))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{}"));
      token.ifPresent(t -> post.header("Authorization", "Bearer " + t));
      HttpResponse<InputStream> rejected =
          client.send(post.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = rejected.body()) {
        in.readAllBytes();
      }
    } catch (IOException e) {
      // bound to another interface: the step path still warms
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The example hello module, copied into the jar at build time. */
  static byte[] builtInModule() throws IOException {
    String name = "hello.wasm";
    try (InputStream in = WarmUp.class.getResourceAsStream(name)) {
      if (in == null)
        throw new IOException("the built-in warm-up module " + name + " is missing from the jar");
      return in.readAllBytes();
    }
  }
}
