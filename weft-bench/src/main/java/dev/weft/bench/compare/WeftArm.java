package dev.weft.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * (a) weft: the real server, started as users start it: through the {@code ./weft} launcher ({@code
 * weft serve}, bearer token, {@code --module-dir}, {@code --memory} the step's limit, {@code
 * --workers} the cores), so it gets the launcher's JDK, start-up archive and lean JVM defaults
 * unless {@code WEFT_JAVA_OPTS} overrides them. Each task is one Argo {@code template.execute}
 * request with a new workflow uid. Inputs travel as raw artifacts (so no artifact repository takes
 * part), outputs are written into the task's in-memory sandbox and dropped with it.
 */
final class WeftArm implements Arm {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UID = "@@UID@@";
  private final Process server;
  private final int workers;
  private final URI url;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<Workload, byte[][]> bodies = new EnumMap<>(Workload.class);

  private WeftArm(Process server, int workers, URI url, String token, Path data, String memoryLimit)
      throws IOException {
    this.server = server;
    this.workers = workers;
    this.url = url;
    this.token = token;
    for (Workload w : Workload.values()) bodies.put(w, body(w, data, memoryLimit));
  }

  /**
   * Starts {@code WEFT_JAVA_OPTS=<javaOpts> <launcher> serve …} and waits until it is ready ({@code
   * javaOpts} empty: the launcher's own defaults).
   */
  static WeftArm start(
      Path launcher,
      Path moduleDir,
      Path work,
      Path data,
      String javaOpts,
      int workers,
      int port,
      String memoryLimit)
      throws IOException, InterruptedException {
    Path tokenFile = work.resolve("token");
    String token = "compare-" + Long.toHexString(System.nanoTime());
    Files.writeString(tokenFile, token);
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(
        List.of(
            "serve",
            "--port",
            Integer.toString(port),
            "--token-file",
            tokenFile.toString(),
            "--module-dir",
            moduleDir.toString(),
            "--no-cache",
            "--workers",
            Integer.toString(workers),
            "--memory",
            memoryLimit));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("WEFT_JAVA_OPTS");
    if (!javaOpts.isBlank()) pb.environment().put("WEFT_JAVA_OPTS", javaOpts);
    Process p =
        pb.redirectErrorStream(true)
            .redirectOutput(work.resolve("weft-serve.log").toFile())
            .start();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient probe = HttpClient.newHttpClient();
    for (int i = 0; i < 1200; i++) { // 120 s: the launcher may first train its start-up archive
      if (!p.isAlive())
        throw new IOException(
            "weft serve exited with " + p.exitValue() + "; see " + work.resolve("weft-serve.log"));
      try {
        if (probe
                .send(
                    HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return new WeftArm(
              p, workers, base.resolve("/api/v1/template.execute"), token, data, memoryLimit);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    p.destroy();
    throw new IOException("weft serve was not ready on port " + port + " after 120 s");
  }

  /** The server's command line as the JVM got it (java binary and flags), for the record. */
  String commandLine() {
    try {
      return Files.readString(Path.of("/proc", Long.toString(server.pid()), "cmdline"))
          .replace('\0', ' ')
          .strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The request body around the uid placeholder, so a request costs no JSON encoding. */
  private static byte[][] body(Workload w, Path data, String memoryLimit) throws IOException {
    ObjectNode req = JSON.createObjectNode();
    req.with("workflow")
        .with("metadata")
        .put("name", "compare")
        .put("namespace", "argo")
        .put("uid", UID);
    ObjectNode t = req.with("template").put("name", w.program);
    ObjectNode wasm = t.with("plugin").with("wasm");
    wasm.with("module").put("file", w.program + ".wasm");
    wasm.with("limits").put("memory", memoryLimit);
    String in =
        switch (w) {
          case HELLO -> null;
          case IMAGE -> Inputs.IMAGE;
          case COPY -> Inputs.TEXT;
        };
    if (in != null) {
      // raw artifacts are text; the inputs are printable ASCII, so the bytes arrive unchanged
      String text = Files.readString(data.resolve(in), StandardCharsets.US_ASCII);
      t.with("inputs")
          .withArray("artifacts")
          .addObject()
          .put("name", "input")
          .put("path", "/" + in)
          .with("raw")
          .put("data", text);
      String out = w == Workload.IMAGE ? "/tmp/gray.pgm" : "/tmp/out.txt";
      wasm.putArray("args").add("/work/artifacts-in/" + in).add(out);
    }
    String s = JSON.writeValueAsString(req);
    int i = s.indexOf(UID);
    return new byte[][] {
      s.substring(0, i).getBytes(StandardCharsets.UTF_8),
      s.substring(i + UID.length()).getBytes(StandardCharsets.UTF_8)
    };
  }

  @Override
  public String name() {
    return "weft";
  }

  @Override
  public TaskSample run(Workload w, int worker, long seq) {
    byte[][] b = bodies.get(w);
    HttpRequest req =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(
                HttpRequest.BodyPublishers.ofByteArrays(
                    List.of(
                        b[0],
                        ("cmp-" + seq + "-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8),
                        b[1])))
            .build();
    long submit = System.nanoTime();
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      long done = System.nanoTime();
      if (r.statusCode() != 200)
        return TaskSample.failed(
            submit,
            done,
            "HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
      JsonNode node = JSON.readTree(r.body()).path("node");
      if (!"Succeeded".equals(node.path("phase").asText())) {
        return TaskSample.failed(
            submit,
            done,
            "phase " + node.path("phase").asText() + ": " + node.path("message").asText());
      }
      return TaskSample.fromOutput(
          submit, done, node.path("outputs").path("result").asText(), Inputs.expected(w));
    } catch (IOException | InterruptedException e) {
      return TaskSample.failed(submit, System.nanoTime(), "request failed: " + e);
    }
  }

  @Override
  public Collection<Long> rootPids() {
    return List.of(server.pid());
  }

  @Override
  public int holding(int inFlight) {
    return Math.min(inFlight, workers);
  }

  @Override
  public void close() throws InterruptedException {
    server.destroy();
    if (!server.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) server.destroyForcibly();
  }
}
