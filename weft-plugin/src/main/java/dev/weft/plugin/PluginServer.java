package dev.weft.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.ModuleRef;
import dev.weft.argo.NodeResult;
import dev.weft.argo.SpecException;
import dev.weft.argo.StepRun;
import dev.weft.argo.WasmPlugin;
import dev.weft.argo.WasmStep;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * weft as an Argo executor plugin: {@code POST /api/v1/template.execute} runs {@code plugin: wasm:}
 * steps; {@code /healthz}, {@code /readyz} and {@code /metrics} serve Kubernetes and Prometheus.
 */
public final class PluginServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PluginServer.class);

  /** The path Argo's agent posts steps to. */
  public static final String EXECUTE = "/api/v1/template.execute";

  private final ServerConfig config;

  /**
   * Strict where JSON is: a duplicate key or anything after the body is a 400, not silently the
   * last one or ignored.
   */
  private final ObjectMapper json =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final ObjectMapper canonical =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final BearerAuth auth;

  /**
   * The step machinery, made right after the port is open: Argo's agent retries a refused
   * connection only after 1, 2, 4… s, so the sidecar listens first and a request that comes
   * meanwhile waits for {@link #started} instead.
   */
  private volatile WasmPlugin plugin;

  private volatile TaskTracker tracker;
  private volatile PluginMetrics metrics;
  private final java.util.concurrent.CompletableFuture<Void> started =
      new java.util.concurrent.CompletableFuture<>();

  /** False until {@link WarmUp} is done: /readyz says so, requests are served meanwhile. */
  private volatile boolean warm;

  private final java.util.concurrent.CompletableFuture<Void> ready =
      new java.util.concurrent.CompletableFuture<>();
  private final Javalin app;
  private volatile boolean draining;

  /** Requests inside {@link #execute}; shutdown waits for them to be answered. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  private PluginServer(ServerConfig config) {
    this.config = config;
    // The socket first: the kernel accepts connections from here on, and requests wait in its
    // backlog while the HTTP server is made (about half a second of the start).
    java.nio.channels.ServerSocketChannel channel;
    try {
      channel = java.nio.channels.ServerSocketChannel.open();
      channel.bind(new java.net.InetSocketAddress(config.host(), config.port()), 256);
    } catch (java.net.BindException e) {
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": the port is in use", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    this.auth = new BearerAuth(config.token());
    this.app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.http.maxRequestSize = 8L << 20;
              c.jetty.addConnector(
                  (server, http) -> {
                    var connector =
                        new org.eclipse.jetty.server.ServerConnector(
                            server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                    try {
                      connector.open(channel);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                    return connector;
                  });
              c.routes.post(
                  EXECUTE,
                  ctx -> {
                    inFlight.incrementAndGet();
                    try {
                      if (!awaitStarted(ctx)) return;
                      execute(ctx);
                    } finally {
                      inFlight.decrementAndGet();
                    }
                  });
              c.routes.get(
                  "/healthz",
                  ctx -> {
                    TaskTracker t =
                        tracker; // null for the moment the step machinery is being made: alive, not
                    // wedged
                    java.util.Optional<String> wedged =
                        t == null ? java.util.Optional.empty() : t.wedged(System.nanoTime());
                    wedged.ifPresentOrElse(
                        w -> ctx.status(503).result(w + "\n"), () -> ctx.result("ok\n"));
                  });
              c.routes.get(
                  "/readyz",
                  ctx ->
                      ctx.status(draining || !warm ? 503 : 200)
                          .result(
                              draining ? "shutting down\n" : warm ? "ready\n" : "warming up\n"));
              c.routes.get(
                  "/metrics",
                  ctx -> {
                    if (awaitStarted(ctx))
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(metrics.scrape());
                  });
              c.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("request to {} failed inside weft", ctx.path(), e);
                    error(ctx, 500, "internal error in weft: " + e);
                  });
            });
  }

  /**
   * Starts the server: the port first, then the step machinery; it accepts work as soon as this
   * returns. The warm start runs after, pausing while a request is being served.
   *
   * @throws IllegalArgumentException when the steps' settings cannot be used (the artifact
   *     repository's Secrets cannot be read); the port is closed again
   */
  public static PluginServer start(ServerConfig config) {
    PluginServer s = new PluginServer(config);
    // the step machinery is made while Jetty starts: the two halves of the start overlap on two
    // cores (docs/benchmarks.md §11)
    Thread making = new Thread(() -> s.makeStepMachinery(config), "weft-start");
    making.setDaemon(true);
    making.start();
    try {
      s.app.start();
      s.started.get();
    } catch (ExecutionException e) {
      s.app.stop();
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.app.stop();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      s.app.stop();
      throw e;
    }
    Thread warming =
        new Thread(
            () -> {
              LOG.info(
                  "weft serve {}",
                  new WarmUp(
                          s.plugin,
                          config.token(),
                          (meta, template) -> new ExecuteRequest(meta, template).key(s.canonical))
                      .run(
                          ref -> s.plugin.load(new ModuleRef.Oci(ref.toString())),
                          s.port(),
                          config.engine(),
                          s::pauseWhileServing));
              s.warm = true;
              s.ready.complete(null);
            },
            "weft-warm-up");
    warming.setDaemon(true);
    warming.start();
    LOG.info(
        "weft serve listening on {}:{} ({} workers, queue {}, auth {})",
        config.host(),
        s.port(),
        config.workers(),
        config.queue(),
        config.token().isPresent() ? "on" : "OFF");
    return s;
  }

  private void makeStepMachinery(ServerConfig config) {
    try {
      plugin = WasmPlugin.create(config.steps());
      tracker =
          new TaskTracker(
              config.workers(),
              config.queue(),
              config.keepResults(),
              config.limits().timeout(),
              64L << 20);
      metrics = new PluginMetrics(plugin.runtime(), tracker);
      started.complete(null);
    } catch (RuntimeException | Error e) {
      started.completeExceptionally(e);
    }
  }

  public int port() {
    return app.port();
  }

  /** Completes when the warm-up is done and /readyz answers 200. */
  public java.util.concurrent.CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * Waits for the step machinery; false (and 503, which Argo retries) if it is not there within 20
   * s.
   */
  private boolean awaitStarted(Context ctx) throws InterruptedException {
    try {
      started.get(20, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      error(ctx, 503, "weft is starting");
      return false;
    }
  }

  /**
   * The warm start's "stop?" check, between its rounds: true when the server is closing; while a
   * request is being served it waits first, so a first step does not share the CPU with warming.
   */
  private boolean pauseWhileServing() {
    try {
      while (inFlight.get() > 0 && !draining)
        Thread.sleep(5); // a bounded pause between warm-up rounds, not ordering events
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
    return draining;
  }

  private void execute(Context ctx) throws IOException {
    if (!auth.allows(ctx.header("Authorization"))) {
      error(
          ctx,
          403,
          "missing or wrong bearer token (Authorization: Bearer <contents of the token file>)");
      return;
    }
    if (draining) {
      error(ctx, 503, "weft is shutting down");
      return;
    }
    ExecuteRequest request;
    try {
      request = ExecuteRequest.read(ctx.header("Content-Type"), ctx.bodyAsBytes(), json);
    } catch (ExecuteRequest.Refused e) {
      error(ctx, e.status, e.getMessage());
      return;
    }
    JsonNode meta = request.meta();
    JsonNode template = request.template();
    JsonNode wasm = WasmPlugin.wasmBlock(template).orElse(null);
    if (wasm == null) {
      reply(ctx, json.createObjectNode()); // {}: another plugin's template
      return;
    }
    WasmStep step;
    try {
      step = plugin.parse(wasm);
    } catch (SpecException e) {
      metrics.rejected("Invalid");
      reply(ctx, node(NodeResult.failed("invalid wasm step: " + e.getMessage())));
      return;
    }
    String key = request.key(canonical);
    TaskTracker.Entry entry;
    try {
      entry = tracker.submit(key, () -> run(meta, template, step));
    } catch (TaskTracker.QueueFullException e) {
      error(ctx, 503, e.getMessage());
      return;
    }
    ObjectNode reply;
    try {
      reply = entry.reply.get(config.requeueAfter().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply(
          ctx,
          node(NodeResult.running("weft task still running"))
              .put("requeue", goDuration(config.requeue())));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(ctx, 503, "interrupted while waiting for the task");
      return;
    } catch (ExecutionException e) {
      tracker.forget(key, entry);
      throw new IllegalStateException("task failed inside weft", e.getCause());
    }
    if (!"Succeeded".equals(reply.path("node").path("phase").asText())) {
      tracker.forget(
          key,
          entry); // delivered; Argo's retryStrategy will send the same body again and must get a
      // new run
    }
    reply(ctx, reply);
  }

  /** Runs one step on a worker thread; every outcome becomes a reply. */
  private ObjectNode run(JsonNode meta, JsonNode template, WasmStep step) {
    StepRun run = plugin.execute(meta, template, step);
    run.task().ifPresent(r -> metrics.record(r, run.memoryLimitBytes()));
    run.refusal()
        .ifPresent(
            why -> {
              if (why == StepRun.Refusal.INVALID) metrics.rejected("Invalid");
              if (why == StepRun.Refusal.UNLOADABLE) metrics.rejected("Unloadable");
            });
    return node(run.node());
  }

  /** Argo's {@code ExecuteTemplateReply}: {@code {"node": …}}. */
  private ObjectNode node(NodeResult result) {
    ObjectNode reply = json.createObjectNode();
    reply.set("node", result.toJson());
    return reply;
  }

  private void reply(Context ctx, ObjectNode reply) throws IOException {
    send(ctx, 200, json.writeValueAsBytes(reply));
  }

  private void error(Context ctx, int status, String message) {
    try {
      send(ctx, status, json.writeValueAsBytes(json.createObjectNode().put("error", message)));
    } catch (IOException e) {
      LOG.debug("could not send an error reply: {}", e.toString());
    }
  }

  /**
   * Writes and flushes the reply before the handler returns, so that once no request is inside the
   * handler every reply has left: graceful shutdown counts on that.
   */
  private static void send(Context ctx, int status, byte[] body) throws IOException {
    ctx.status(status).contentType("application/json");
    ctx.res().setContentLength(body.length);
    var out = ctx.res().getOutputStream();
    out.write(body);
    out.flush();
  }

  /** Go's time.ParseDuration syntax, which Argo uses for {@code requeue}. */
  static String goDuration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /**
   * Graceful stop: not ready, no new tasks, finish the queued and running ones (up to the task
   * timeout), then close the listener.
   */
  @Override
  public void close() {
    draining = true;
    try {
      if (tracker != null && !tracker.drain(config.limits().timeout().plusSeconds(5))) {
        LOG.warn("tasks still running at shutdown were abandoned");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10); // the tasks are done; let their requests write the replies
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (tracker != null) tracker.close();
      app.stop();
      if (plugin != null) plugin.close();
    }
  }
}
