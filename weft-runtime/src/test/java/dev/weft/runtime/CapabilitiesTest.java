package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.capability.env.EnvCapability;
import dev.weft.runtime.capability.http.HttpCapability;
import dev.weft.runtime.internal.TaskRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capabilities through WeftRuntime with the http-request example module and real HTTP servers on
 * 127.0.0.1.
 */
class CapabilitiesTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();
  private static LoadedModule module;
  private static HttpServer server;
  private static HttpServer other; // a second port on the same host
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    module = WEFT.load(ModuleSource.file(Examples.module("http-request")));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/hello",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          byte[] b =
              (ex.getRequestMethod() + " " + new String(in, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.createContext(
        "/big",
        ex -> {
          byte[] b = new byte[64 * 1024];
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.createContext(
        "/slow",
        ex -> {
          try {
            SLOW_RELEASED.await(
                60, java.util.concurrent.TimeUnit.SECONDS); // held until the tests end
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.createContext(
        "/redirect-out",
        ex -> {
          ex.getResponseHeaders()
              .add("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/hello");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.createContext(
        "/redirect-in",
        ex -> {
          ex.getResponseHeaders().add("Location", "/hello");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    other.createContext(
        "/hello",
        ex -> {
          byte[] b = "other".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
    other.start();
  }

  /** The slow server answers only when the tests are over: slower than any timeout under test. */
  static final java.util.concurrent.CountDownLatch SLOW_RELEASED =
      new java.util.concurrent.CountDownLatch(1);

  @AfterAll
  static void stop() {
    SLOW_RELEASED.countDown();
    server.stop(0);
    other.stop(0);
  }

  private static TaskResult get(String url, HttpCapability http, String... more) {
    TaskSpec.Builder b = TaskSpec.builder().parameter("url", url);
    for (int i = 0; i + 1 < more.length; i += 2) b.parameter(more[i], more[i + 1]);
    if (http != null) b.grant(http);
    return WEFT.run(module, b.build());
  }

  private static HttpCapability allow(String... urls) {
    return HttpCapability.allowing(List.of(urls), 8);
  }

  @Test
  void anAllowedRequestReturnsStatusBodyAndContentType() {
    TaskResult r =
        get(
            base + "/hello",
            allow(base),
            "method",
            "POST",
            "body",
            "ping",
            "content_type",
            "text/plain");
    assertThat(r.succeeded()).as(r.message() + r.stderrTail()).isTrue();
    assertThat(r.outputParameter("status_code")).contains("200");
    assertThat(r.outputParameter("body")).contains("POST ping");
    assertThat(r.outputParameter("content_type")).contains("text/plain; charset=utf-8");
  }

  @Test
  void withoutAGrantTheModuleLinksAndGetsDestinationNotAllowed() {
    TaskResult r = get(base + "/hello", null);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.stderrTail()).contains("error 7 (destination not allowed)");
    assertThat(r.message())
        .contains("http: denied " + base + "/hello (no HTTP permission granted)");
  }

  @Test
  void aHostNotInTheListIsDenied() {
    TaskResult r = get("http://localhost:" + server.getAddress().getPort() + "/hello", allow(base));
    assertThat(r.stderrTail()).contains("error 7");
    assertThat(r.message())
        .contains(
            "http: denied http://localhost:"
                + server.getAddress().getPort()
                + "/hello (not in the allow-list");
  }

  @Test
  void anHttpsEntryDoesNotAllowPlainHttp() {
    TaskResult r =
        get(base + "/hello", allow("https://127.0.0.1:" + server.getAddress().getPort()));
    assertThat(r.stderrTail()).contains("error 7");
    assertThat(r.message()).contains("http: denied " + base + "/hello");
  }

  @Test
  void anotherPortOfAnAllowedHostIsDenied() {
    String otherUrl = "http://127.0.0.1:" + other.getAddress().getPort() + "/hello";
    TaskResult r = get(otherUrl, allow(base));
    assertThat(r.stderrTail()).contains("error 7");
    assertThat(r.message()).contains("http: denied " + otherUrl);
  }

  @Test
  void aRedirectIsFollowedWhenItsTargetIsAllowedAndDeniedWhenNot() {
    TaskResult in = get(base + "/redirect-in", allow(base));
    assertThat(in.succeeded()).as(in.message()).isTrue();
    assertThat(in.outputParameter("body")).contains("GET ");

    TaskResult out = get(base + "/redirect-out", allow(base));
    assertThat(out.succeeded()).isFalse();
    assertThat(out.stderrTail()).contains("error 7");
    assertThat(out.message())
        .contains(
            "http: denied http://127.0.0.1:"
                + other.getAddress().getPort()
                + "/hello (not in the allow-list");
  }

  @Test
  void aResponseOverTheSizeCapIsRefused() {
    HttpCapability small =
        allow(base).withLimits(Duration.ofSeconds(2), Duration.ofSeconds(10), 1024);
    TaskResult r = get(base + "/big", small);
    assertThat(r.stderrTail()).contains("error 11 (request error)");
    assertThat(r.message())
        .contains("http: response from " + base + "/big is over the size cap of 1024 bytes");
    assertThat(get(base + "/big", allow(base)).outputParameter("status_code")).contains("200");
  }

  @Test
  void aSlowServerHitsTheTotalTimeout() {
    HttpCapability quick =
        allow(base).withLimits(Duration.ofSeconds(1), Duration.ofMillis(300), 1 << 20);
    long t0 = System.nanoTime();
    TaskResult r = get(base + "/slow", quick);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
    assertThat(r.stderrTail()).contains("error 11");
    assertThat(r.message()).contains("http: " + base + "/slow timed out (total timeout 300 ms");
  }

  @Test
  void openResponsesAreLimitedByMaxConcurrentRequests() {
    TaskResult two = get(base + "/hello", HttpCapability.allowing(List.of(base), 2), "repeat", "2");
    assertThat(two.succeeded()).as(two.message()).isTrue();
    TaskResult three =
        get(base + "/hello", HttpCapability.allowing(List.of(base), 2), "repeat", "3");
    assertThat(three.stderrTail()).contains("error 13 (too many sessions)");
    assertThat(three.message()).contains("(max_concurrent_requests 2)");
  }

  @Test
  void httpTasksAreNotRestartableByTheTieredEngine() {
    assertThat(TaskRunner.restartable(TaskSpec.builder().build())).isTrue();
    assertThat(TaskRunner.restartable(TaskSpec.builder().grant(allow(base)).build())).isFalse();
    assertThat(
            TaskRunner.restartable(
                TaskSpec.builder().grant(new EnvCapability(Map.of("A", "b"), List.of())).build()))
        .isTrue();
  }

  @Test
  void theTieredEngineRunsAnHttpTaskOnlyOnceOnCompiledCodeInsteadOfRiskingARestart() {
    // Fresh runtimes, so the module is new to each. The first one's compiler is held until the
    // task has run: on a warm, idle JVM the compile can otherwise finish before the task starts.
    java.util.concurrent.ExecutorService compiler =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
    TaskResult plain;
    try {
      plain =
          WeftRuntime.builder()
              .engine(Engine.TIERED)
              .compilerExecutor(
                  job ->
                      compiler.execute(
                          () -> {
                            try {
                              ran.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            job.run();
                          }))
              .build()
              .run(
                  ModuleSource.file(Examples.module("http-request")),
                  TaskSpec.builder().parameter("env", "X").build());
    } finally {
      ran.countDown();
      compiler.shutdown();
    }
    assertThat(plain.engine())
        .as("a restartable task starts in the interpreter")
        .isEqualTo(Engine.INTERPRETER);

    TaskResult http =
        WeftRuntime.builder()
            .engine(Engine.TIERED)
            .build()
            .run(
                ModuleSource.file(Examples.module("http-request")),
                TaskSpec.builder().parameter("url", base + "/hello").grant(allow(base)).build());
    assertThat(http.succeeded()).as(http.message()).isTrue();
    assertThat(http.engine()).as("an HTTP task waits for the compiler").isEqualTo(Engine.COMPILER);
  }

  @Test
  void envAndSecretsReachTheModuleOnlyWhenGrantedAndSecretValuesAreNeverLogged(@TempDir Path dir)
      throws IOException {
    Path secret = Files.createDirectories(dir.resolve("db-credentials"));
    Files.writeString(secret.resolve("DB_PASSWORD"), "s3cr3t-value-xyz");
    Files.createDirectories(
        secret.resolve("..data")); // Kubernetes' bookkeeping entries are skipped

    TaskResult denied =
        WEFT.run(module, TaskSpec.builder().parameter("env", "DB_PASSWORD").build());
    assertThat(denied.outputParameter("env_value")).contains("(unset)");

    PrintStream err = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    TaskSpec spec =
        TaskSpec.builder()
            .parameter("env", "DB_PASSWORD")
            .grant(new EnvCapability(Map.of("REGION", "eu-1"), List.of(secret)))
            .build();
    TaskResult granted;
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      granted = WEFT.run(module, spec);
    } finally {
      System.setErr(err);
    }
    assertThat(granted.outputParameter("env_value")).contains("s3cr3t-value-xyz");
    String logged = logs.toString(StandardCharsets.UTF_8);
    assertThat(logged)
        .contains("capability env granted")
        .contains("DB_PASSWORD")
        .doesNotContain("s3cr3t-value-xyz");
    assertThat(spec.toString()).doesNotContain("s3cr3t").doesNotContain("eu-1").contains("REGION");
  }
}
