package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's "done when": one {@code weft serve} process sized like the shipped plugin manifest
 * (768 MiB heap, the serial collector, exit on out-of-memory, 2 workers, queue 8, the limits the
 * heap gives: 64 MiB of linear memory and 64 MiB of sandbox per task) takes every attack class the
 * repository has, one after another, and after each one answers a plain hello step Succeeded, has
 * no task the attack started still running, is still alive, and says ok on /healthz. The slowest
 * hello is printed (issue 19 asks for 1 s; on a quiet machine they take milliseconds); the test
 * asserts only a 15 s hang guard, since a timing bound fails on a loaded machine whatever the code.
 * Variants that only take longer (a million directories rather than files, a 2 MiB result.json
 * after the stdout flood) are left to SandboxAccountingTest and LimitsTest, so this stays within
 * about 40 s.
 */
class GauntletTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules")).toAbsolutePath();
  private static final String TOKEN = "gauntlet-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * A hang guard, not a performance claim (those are in weft-bench): a hello normally answers in
   * milliseconds; what this test checks is that it answers at all and that no task an attack
   * started is still running afterwards ({@code weft_tasks_running}).
   */
  private static final Duration HELLO_BOUND = Duration.ofSeconds(15);

  @TempDir static Path tmp;
  private static Process server;
  private static URI base;
  private static int port;
  private static ServerSocket bystander; // an SSRF target on loopback: must never be contacted
  private static final AtomicInteger bystanderHits = new AtomicInteger();
  private static int hellos;
  private static Duration slowestHello = Duration.ZERO;
  private static String slowestAfter = "";

  @BeforeAll
  static void start() throws Exception {
    long s0 = System.nanoTime();
    Path modules = Files.createDirectories(tmp.resolve("modules"));
    copy("hello/hello.wasm", modules);
    copy("wc/wc.wasm", modules);
    copy("adversarial/probe.wasm", modules);
    for (String m :
        List.of("fill", "entries", "loop", "grow", "recurse", "flood", "trap", "badjson", "escape"))
      copy("adversarial/" + m + ".wasm", modules);
    Path bombs = Files.createDirectories(modules.resolve("bombs"));
    Files.write(bombs.resolve("types.wasm"), Wasm.millionTypes());
    Files.write(bombs.resolve("brtable.wasm"), Wasm.brTable(1_000_000));
    Files.write(bombs.resolve("nested.wasm"), Wasm.nested(500_000));
    Files.write(bombs.resolve("section.wasm"), Wasm.lyingSection());
    Files.write(bombs.resolve("table.wasm"), Wasm.hugeTable());
    Files.write(bombs.resolve("slow.wasm"), Wasm.manyFunctions(8_000, 60));

    Path repo = Files.createDirectories(tmp.resolve("repo/in"));

    bystander = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!bystander.isClosed()) {
                try (Socket s = bystander.accept()) {
                  bystanderHits.incrementAndGet();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();

    Path token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // argo-plugin/plugin.yaml: a 1Gi limit at MaxRAMPercentage=75 is a 768 MiB heap
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.weft.cli.Main",
                "serve",
                "--port",
                "0",
                "--token-file",
                token.toString(),
                "--module-dir",
                modules.toString(),
                "--artifact-dir",
                tmp.resolve("repo").toString(),
                "--workers",
                "2",
                "--queue",
                "8",
                "--requeue-after",
                "25s",
                "--no-cache"));
    server = new ProcessBuilder(cmd).redirectError(tmp.resolve("server.log").toFile()).start();
    // made while the server warms up: it reads the artifact only when the step asks for it
    tarBomb(repo.resolve("bomb.tgz"), 128L << 20); // 128 MiB of zeros, about 130 KiB gzip'd
    java.io.BufferedReader lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String ready =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    String l;
                    while ((l = lines.readLine()) != null) {
                      if (l.startsWith("weft serve: ready on ")) return l;
                    }
                    return null;
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .get(120, TimeUnit.SECONDS);
    assertThat(ready).as(Files.readString(tmp.resolve("server.log"))).isNotNull();
    port = Integer.parseInt(ready.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1"));
    base = URI.create("http://127.0.0.1:" + port);
    System.out.printf("gauntlet: server ready after %d ms%n", (System.nanoTime() - s0) / 1_000_000);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) server.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    if (bystander != null) bystander.close();
  }

  private static void copy(String rel, Path modules) throws IOException {
    Path to = modules.resolve(rel);
    Files.createDirectories(to.getParent());
    Files.copy(EXAMPLES.resolve(rel), to);
  }

  // --- the attacks, one after another ------------------------------------------------------

  @Test
  void everyAttackOneAfterAnotherAndAHelloAfterEachWithNothingLeftRunning() throws Exception {
    long t0 = System.nanoTime();
    // the first hello loads the module and warms the client: not one of the bounded answers
    assertThat(execute(hello("first")).phase()).isEqualTo("Succeeded");

    survives(
        "a tar bomb input artifact (128 MiB of zeros in a small tgz)",
        () ->
            failedNaming(
                step(
                    "bomb",
                    "{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/tmp/in\"]}",
                    "\"inputs\":{\"artifacts\":[{\"name\":\"in\",\"path\":\"/tmp/in\","
                        + "\"s3\":{\"key\":\"in/bomb.tgz\"}}]}"),
                "limits.maxSandbox"));
    survives(
        "a huge sandbox write",
        () -> failedNaming(module("fill", "adversarial/fill.wasm"), "limits.maxSandbox"));
    survives(
        "a million empty files",
        () ->
            failedNaming(
                module("files", "adversarial/entries.wasm", "files", "1000000"),
                "limits.maxSandbox"));
    survives(
        "a module declaring a million types",
        () -> failedNaming(module("types", "bombs/types.wasm"), "module.maxTypes"));
    survives(
        "a br_table of a million targets",
        () -> failedNaming(module("brtable", "bombs/brtable.wasm"), "module.maxBrTableTargets"));
    survives(
        "half a million nested blocks",
        () -> failedNaming(module("nested", "bombs/nested.wasm"), "module.maxNestingDepth"));
    survives(
        "a 1500 MiB section declared in a tiny module",
        () -> failedNaming(module("section", "bombs/section.wasm"), "declares 1572864000 bytes"));
    survives(
        "a table of 2^31 elements",
        () -> failedNaming(module("table", "bombs/table.wasm"), "module.maxTableElements"));
    survives(
        "a module slow to compile (8,000 functions: seconds of background compiling)",
        () ->
            assertThat(execute(module("slow", "bombs/slow.wasm")).phase()).isEqualTo("Succeeded"));
    survives(
        "an endless loop",
        () ->
            failedNaming(
                step(
                    "loop",
                    "{\"module\":{\"file\":\"adversarial/loop.wasm\"},\"limits\":{\"timeout\":\"1s\"}}",
                    ""),
                "time limit"));
    survives(
        "unbounded memory growth (to a 16 MiB step limit: the interpreter touches every page)",
        () ->
            failedNaming(
                step(
                    "grow",
                    "{\"module\":{\"file\":\"adversarial/grow.wasm\"},\"limits\":{\"memory\":\"16Mi\"}}",
                    ""),
                "memory limit of 16MiB"));
    survives(
        "unbounded recursion",
        () ->
            assertThat(execute(module("recurse", "adversarial/recurse.wasm")).phase())
                .isEqualTo("Failed"));
    survives("a trap", () -> failedNaming(module("trap", "adversarial/trap.wasm"), "unreachable"));
    survives(
        "a 64 MiB stdout flood",
        () ->
            assertThat(execute(module("flood", "adversarial/flood.wasm")).phase())
                .isEqualTo("Succeeded"));
    survives(
        "a truncated result.json",
        () ->
            assertThat(execute(module("badjson", "adversarial/badjson.wasm")).phase())
                .isEqualTo("Failed"));
    survives(
        "an output path escaping the sandbox",
        () -> failedNaming(module("escape", "adversarial/escape.wasm"), "passwd"));
    survives(
        "terminal escapes in arguments and output",
        () -> {
          Reply r =
              execute(module("esc", "adversarial/probe.wasm", "\u001b[2J\rfake: Succeeded\u0000"));
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.phase()).isEqualTo("Succeeded");
        });
    survives(
        "SSRF: a module URL on another loopback port",
        () -> {
          failedNaming(
              step(
                  "ssrf",
                  "{\"module\":{\"http\":{\"url\":\"http://127.0.0.1:"
                      + bystander.getLocalPort()
                      + "/m.wasm\",\"sha256\":\""
                      + "ab".repeat(32)
                      + "\"}}}",
                  ""),
              "--module-allow-url");
          assertThat(bystanderHits.get()).as("the bystander was never contacted").isZero();
        });
    survives(
        "SSRF: a module URL at the metadata address",
        () ->
            failedNaming(
                step(
                    "metadata",
                    "{\"module\":{\"http\":{\"url\":\"http://169.254.169.254/latest/m.wasm\",\"sha256\":\""
                        + "ab".repeat(32)
                        + "\"}}}",
                    ""),
                "plugin.wasm.module.http.url"));
    survives(
        "malformed JSON",
        () ->
            assertThat(post("{\"workflow\":", "application/json", bearer()).statusCode())
                .isEqualTo(400));
    survives(
        "trailing garbage after the JSON body",
        () ->
            assertThat(post(hello("trailing") + " {}", "application/json", bearer()).statusCode())
                .isEqualTo(400));
    survives(
        "duplicate JSON keys",
        () ->
            assertThat(
                    post(
                            step(
                                "dup",
                                "{\"module\":{\"file\":\"hello/hello.wasm\"},\"module\":{\"file\":\"x\"}}",
                                ""),
                            "application/json",
                            bearer())
                        .statusCode())
                .isEqualTo(400));
    survives(
        "JSON nested 100,000 deep",
        () -> {
          int status = post("[".repeat(100_000), "application/json", bearer()).statusCode();
          assertThat(status).isBetween(400, 499);
        });
    survives(
        "a body over the size limit",
        () -> {
          try {
            int status = post(" ".repeat(9 << 20), "application/json", bearer()).statusCode();
            assertThat(status).isBetween(400, 499);
          } catch (IOException e) {
            // refused before it was all sent: the server closed the connection on it
          }
        });
    survives(
        "a wrong Content-Type",
        () -> assertThat(post(hello("ct"), "text/plain", bearer()).statusCode()).isEqualTo(415));
    survives(
        "a token with something after it",
        () ->
            assertThat(post(hello("tok"), "application/json", bearer() + " x").statusCode())
                .isEqualTo(403));
    List<Socket> slow = new ArrayList<>();
    try {
      survives(
          "slowloris: 50 connections holding half-sent requests",
          () -> {
            for (int i = 0; i < 50; i++) {
              Socket s = new Socket();
              s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
              OutputStream o = s.getOutputStream();
              o.write(
                  ("POST /api/v1/template.execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              o.flush();
              slow.add(s);
            }
          }); // the hello after it runs while all 50 are still open
    } finally {
      for (Socket s : slow) s.close();
    }
    survives("the end", () -> {});

    assertThat(hellos).as("a hello after every attack").isEqualTo(28);
    System.out.printf(
        "gauntlet: %d hellos, the slowest in %d ms (after %s), all in %d s%n",
        hellos,
        slowestHello.toMillis(),
        slowestAfter,
        Duration.ofNanos(System.nanoTime() - t0).toSeconds());
  }

  @FunctionalInterface
  private interface Attack {
    void run() throws Exception;
  }

  /**
   * Runs the attack, then checks the server: alive, a hello Succeeded (within the hang guard),
   * nothing the attack started still running, /healthz ok.
   */
  private void survives(String what, Attack attack) throws Exception {
    long a0 = System.nanoTime();
    attack.run();
    System.out.printf("gauntlet: %5d ms %s%n", (System.nanoTime() - a0) / 1_000_000, what);
    assertThat(server.isAlive()).as("alive after: " + what + serverLog()).isTrue();
    long t0 = System.nanoTime();
    Reply hello = execute(hello("hello-" + hellos++));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(hello.phase())
        .as("hello after: " + what + " " + hello.body())
        .isEqualTo("Succeeded");
    assertThat(hello.body().path("node").path("outputs").toString()).contains("Hello, gauntlet!");
    assertThat(took).as("hello after: " + what).isLessThan(HELLO_BOUND);
    if (took.compareTo(slowestHello) > 0) {
      slowestHello = took;
      slowestAfter = what;
    }
    HttpResponse<String> metrics =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body().lines().filter(l -> l.startsWith("weft_tasks_running ")))
        .as("no task left running after: " + what)
        .containsExactly("weft_tasks_running 0.0");
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).as("/healthz after: " + what).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }

  private static String serverLog() {
    try {
      return "\n" + Files.readString(tmp.resolve("server.log"));
    } catch (IOException e) {
      return "";
    }
  }

  // --- requests -------------------------------------------------------------------------------

  private record Reply(int status, JsonNode body) {
    String phase() {
      return body.path("node").path("phase").asText();
    }

    String message() {
      return body.path("node").path("message").asText();
    }
  }

  private static String bearer() {
    return "Bearer " + TOKEN;
  }

  private static String step(String uid, String wasm, String templateExtras) {
    return "{\"workflow\":{\"metadata\":{\"name\":\"gauntlet\",\"namespace\":\"argo\",\"uid\":\""
        + uid
        + "\"}},\"template\":{\"name\":\"t\""
        + (templateExtras.isEmpty() ? "" : "," + templateExtras)
        + ",\"plugin\":{\"wasm\":"
        + wasm
        + "}}}";
  }

  private static String module(String uid, String file, String... args) {
    StringBuilder a = new StringBuilder();
    for (String s : args) {
      if (a.length() > 0) a.append(',');
      try {
        a.append(JSON.writeValueAsString(s));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return step(uid, "{\"module\":{\"file\":\"" + file + "\"},\"args\":[" + a + "]}", "");
  }

  private static String hello(String uid) {
    return step(
        uid,
        "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
        "\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"gauntlet\"}]}");
  }

  private static HttpResponse<String> post(String body, String contentType, String authorization)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve("/api/v1/template.execute"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Reply execute(String body) throws IOException, InterruptedException {
    HttpResponse<String> r = post(body, "application/json", bearer());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  private static void failedNaming(String body, String named) throws Exception {
    Reply r = execute(body);
    assertThat(r.phase()).as(r.body().toString()).isIn("Failed", "Error");
    assertThat(r.message()).contains(named);
  }

  // --- hostile inputs, built here ---------------------------------------------------------------

  /** A tgz of one file of {@code size} zero bytes, streamed (nothing that size is held). */
  private static void tarBomb(Path to, long size) throws IOException {
    try (OutputStream out =
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(to), 1 << 16)) {
      byte[] header = new byte[512];
      byte[] name = "zeros.bin".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, header, 0, name.length);
      put(header, 100, "0000644");
      put(header, 108, "0000000");
      put(header, 116, "0000000");
      put(header, 124, String.format("%011o", size));
      put(header, 136, "00000000000");
      header[156] = '0';
      put(header, 257, "ustar");
      put(header, 263, "00");
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : header) sum += b & 0xff;
      put(header, 148, String.format("%06o", sum));
      header[154] = 0;
      out.write(header);
      byte[] zeros = new byte[1 << 20];
      for (long done = 0; done < size; done += zeros.length) out.write(zeros);
      out.write(new byte[1024]); // two empty records end the archive
    }
  }

  private static void put(byte[] header, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, b.length);
  }

  /** Module shapes from ModuleLoadingLimitsTest and LoadBudgetTest (weft-runtime). */
  static final class Wasm {
    static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

    static byte[] millionTypes() {
      ByteArrayOutputStream types = new ByteArrayOutputStream();
      types.writeBytes(leb(1_000_000));
      for (int i = 0; i < 1_000_000; i++) types.writeBytes(new byte[] {0x60, 0, 0});
      return concat(HEADER, section(1, types.toByteArray()));
    }

    static byte[] brTable(int targets) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(new byte[] {0x41, 0, 0x0e});
      body.writeBytes(leb(targets));
      for (int i = 0; i <= targets; i++) body.write(0);
      body.write(0x0b);
      return command(body.toByteArray());
    }

    static byte[] nested(int depth) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int i = 0; i < depth; i++) body.writeBytes(new byte[] {0x02, 0x40});
      for (int i = 0; i <= depth; i++) body.write(0x0b);
      return command(body.toByteArray());
    }

    static byte[] lyingSection() {
      return concat(HEADER, new byte[] {1}, leb(1500L << 20), new byte[] {1, 0x60, 0, 0});
    }

    static byte[] hugeTable() {
      return concat(HEADER, section(4, concat(leb(1), new byte[] {0x70, 0}, leb(1L << 31))));
    }

    static byte[] manyFunctions(int functions, int ops) {
      ByteArrayOutputStream fsec = new ByteArrayOutputStream();
      fsec.writeBytes(leb(functions));
      for (int i = 0; i < functions; i++) fsec.write(0);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(0);
      for (int i = 0; i < ops; i++) body.writeBytes(new byte[] {0x41, 1, 0x1a});
      body.write(0x0b);
      byte[] b = body.toByteArray();
      ByteArrayOutputStream code = new ByteArrayOutputStream();
      code.writeBytes(leb(functions));
      for (int i = 0; i < functions; i++) {
        code.writeBytes(leb(b.length));
        code.writeBytes(b);
      }
      return concat(
          HEADER,
          section(1, new byte[] {1, 0x60, 0, 0}),
          section(3, fsec.toByteArray()),
          section(7, export()),
          section(10, code.toByteArray()));
    }

    static byte[] command(byte[] instructions) {
      byte[] body = concat(leb(0), instructions);
      return concat(
          HEADER,
          section(1, new byte[] {1, 0x60, 0, 0}),
          section(3, new byte[] {1, 0}),
          section(7, export()),
          section(10, concat(leb(1), leb(body.length), body)));
    }

    static byte[] export() {
      return concat(
          leb(1), leb(6), "_start".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0});
    }

    static byte[] section(int id, byte[] content) {
      return concat(new byte[] {(byte) id}, leb(content.length), content);
    }

    static byte[] leb(long v) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      do {
        int b = (int) (v & 0x7f);
        v >>>= 7;
        out.write(v != 0 ? b | 0x80 : b);
      } while (v != 0);
      return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] p : parts) out.writeBytes(p);
      return out.toByteArray();
    }
  }
}
