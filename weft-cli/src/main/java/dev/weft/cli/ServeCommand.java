package dev.weft.cli;

import dev.weft.argo.StepSettings;
import dev.weft.plugin.PluginServer;
import dev.weft.plugin.ServerConfig;
import dev.weft.runtime.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft serve}: the Argo executor plugin sidecar. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs weft as an Argo Workflows executor plugin: POST /api/v1/template.execute runs plugin: wasm: steps."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "Port to listen on (default 3000).")
  int port = 3000;

  @Option(
      names = "--bind",
      paramLabel = "HOST",
      description =
          "Address to listen on (default 127.0.0.1: the agent calls its sidecars over localhost).")
  String bind = "127.0.0.1";

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The bearer token Argo's agent writes for this sidecar (default /var/run/argo/token).")
  Path tokenFile = Path.of("/var/run/argo/token");

  @Option(
      names = "--insecure-no-auth",
      description = "Accept requests without a token (local testing only).")
  boolean insecureNoAuth;

  @Option(names = "--workers", description = "Tasks run at once (default: number of cores).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--queue",
      description = "Tasks waiting for a worker before requests get 503 (default 64).")
  int queue = 64;

  @Option(
      names = "--requeue-after",
      paramLabel = "DURATION",
      description = "Answer Running for a task still running after this (default 20s).")
  String requeueAfter = "20s";

  @Option(
      names = "--requeue",
      paramLabel = "DURATION",
      description = "How long Argo waits before asking again about a running task (default 10s).")
  String requeue = "10s";

  @Option(
      names = "--result-ttl",
      paramLabel = "DURATION",
      description =
          "How long successful results are returned again for identical requests (default 10m).")
  String resultTtl = "10m";

  /** The step flags, the same as weft agent's. */
  @Mixin StepOptions steps;

  @Option(
      names = "--module-allow-url",
      paramLabel = "PREFIX",
      description = "URL prefix that module: {http: ...} URLs may use (repeatable; default none).")
  List<String> moduleAllowUrls = new ArrayList<>();

  @Option(
      names = "--training-run",
      paramLabel = "FILE",
      hidden = true,
      description =
          "Start-up archive training (launcher and image build): answer one step of this module (under --module-dir), sent to itself, wait for the warm start, then exit.")
  String trainingRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig config;
    try {
      config = config(err);
    } catch (IllegalArgumentException e) {
      err.println("weft serve: " + e.getMessage());
      return Main.USAGE;
    }
    PluginServer server;
    try {
      server = PluginServer.start(config);
    } catch (IllegalArgumentException e) { // e.g. the artifact repository's Secrets cannot be read
      err.println("weft serve: " + e.getMessage());
      return Main.USAGE;
    } catch (IllegalStateException e) { // the port is taken
      err.println(
          "weft serve: " + e.getMessage() + "; stop what listens there or choose another --port");
      return Main.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "weft serve: listening on "
            + config.host()
            + ":"
            + server.port()
            + " (warming up; /readyz answers 200 when ready)");
    out.flush();
    server
        .ready()
        .thenRun(
            () -> {
              long ms = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
              out.println(
                  "weft serve: ready on "
                      + config.host()
                      + ":"
                      + server.port()
                      + " after "
                      + WorkflowTree.format(Duration.ofMillis(ms)));
              out.flush();
            });
    if (trainingRun != null) return train(server, out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close(); // SIGTERM: finish in-flight tasks first
                  stopped.countDown();
                },
                "weft-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * A training run for the start-up archive (JDK 25's AOT cache, JDK 17's AppCDS): the classes and
   * profiles of a real step through HTTP and of the warm start are recorded when the JVM exits.
   */
  private int train(PluginServer server, PrintWriter out) throws Exception {
    String body =
        "{\"workflow\":{\"metadata\":{\"name\":\"training\",\"namespace\":\"weft\",\"uid\":\"weft-training\"}},"
            + "\"template\":{\"name\":\"training\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"weft\"}]},"
            + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":"
            + Jackson.MAPPER.writeValueAsString(trainingRun)
            + "}}}}}";
    try {
      String reply =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:" + server.port() + PluginServer.EXECUTE))
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(60))
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      if (!reply.contains("\"Succeeded\"")) {
        out.println("weft serve: training run failed: " + reply);
        return 1;
      }
      server.ready().get(60, java.util.concurrent.TimeUnit.SECONDS);
      out.println("weft serve: training run done");
      return 0;
    } finally {
      server.close();
    }
  }

  private ServerConfig config(PrintWriter err) throws IOException {
    Optional<String> token = Optional.empty();
    if (!insecureNoAuth) {
      try {
        token = Optional.of(Files.readString(tokenFile).strip());
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException(
            "token file "
                + tokenFile
                + " not found; Argo's agent writes it (see docs/argo.md), or pass --insecure-no-auth for local testing");
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "token file "
                + tokenFile
                + " cannot be read ("
                + e
                + "); check the sidecar's user and group against the file's");
      }
      if (token.get().isEmpty())
        throw new IllegalArgumentException("token file " + tokenFile + " is empty");
    }
    Duration after = Limits.parseDuration("--requeue-after", requeueAfter);
    Duration again = Limits.parseDuration("--requeue", requeue);
    Duration keep = Limits.parseDuration("--result-ttl", resultTtl);
    StepSettings settings = steps.settings("weft serve", err);
    settings =
        settings.toBuilder()
            .registries(settings.registries().withModuleUrls(moduleAllowUrls))
            .build();
    return new ServerConfig(bind, port, token, workers, queue, after, again, keep, settings);
  }
}
