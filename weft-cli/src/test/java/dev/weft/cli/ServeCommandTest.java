package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft serve} as a process: start-up checks, the ready line, and SIGTERM finishing the task
 * in flight.
 */
class ServeCommandTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules")).toAbsolutePath();

  @Test
  void refusesToStartWithoutItsTokenFile(@TempDir Path tmp) {
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "serve",
            "--token-file",
            tmp.resolve("absent").toString(),
            "--port",
            "0");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .contains("token file")
        .contains("absent")
        .contains("--insecure-no-auth");
  }

  @Test
  void refusesAnArtifactRepositoryItCannotUseNamingWhy(@TempDir Path tmp) throws Exception {
    Path gcs =
        Files.writeString(tmp.resolve("gcs.yaml"), "artifactRepository: |\n  gcs: {bucket: b}\n");
    Path s3 =
        Files.writeString(
            tmp.resolve("s3.yaml"),
            "s3: {endpoint: '127.0.0.1:9', bucket: bkt, accessKeySecret: {name: cred, key: a}, secretKeySecret: {name: cred, key: s}}\n");
    String[][] cases = {
      {"--artifact-repository", gcs.toString()},
      {"--artifact-repository", s3.toString(), "--artifact-dir", tmp.toString()},
      {
        "--artifact-repository",
        s3.toString(),
        "--artifact-secrets-dir",
        tmp.resolve("none").toString()
      },
    };
    String[] expected = {"'gcs' is not supported", "not both", "secret file"};
    for (int i = 0; i < cases.length; i++) {
      StringWriter err = new StringWriter();
      List<String> args =
          new java.util.ArrayList<>(List.of("serve", "--insecure-no-auth", "--port", "0"));
      args.addAll(List.of(cases[i]));
      int status =
          Main.run(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              args.toArray(String[]::new));
      assertThat(status).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", cases[i])).contains(expected[i]);
    }
  }

  @Test
  void refusesAnAllowHttpEntryThatIsNotAFullUrl() {
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "serve",
            "--insecure-no-auth",
            "--port",
            "0",
            "--allow-http",
            "api.example.com");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .contains("--allow-http api.example.com")
        .contains("must be a full URL");
  }

  private static ProcessBuilder weftProcess(String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.weft.cli.Main"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  @Test
  void aTrainingRunAnswersOneStepThroughHttpWaitsForTheWarmStartAndExits() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "serve",
            "--insecure-no-auth",
            "--port",
            "0",
            "--no-cache",
            "--module-dir",
            EXAMPLES.toString(),
            "--training-run",
            "hello/hello.wasm");

    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("weft serve: training run done");
  }

  @Test
  void aTrainingRunWhoseStepFailsSaysWhyAndExitsNonZero() {
    StringWriter out = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true),
            "serve",
            "--insecure-no-auth",
            "--port",
            "0",
            "--no-cache",
            "--module-dir",
            EXAMPLES.toString(),
            "--training-run",
            "absent/absent.wasm");

    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).contains("training run failed").contains("absent/absent.wasm");
  }

  @Test
  void aPortInUseIsOneLineNamingThePortAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Process server =
          weftProcess(
                  "serve",
                  "--insecure-no-auth",
                  "--port",
                  String.valueOf(taken.getLocalPort()),
                  "--no-cache")
              .redirectErrorStream(true)
              .start();
      String output =
          new String(
              server.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(server.exitValue()).isEqualTo(2);
      assertThat(output)
          .isEqualTo(
              "weft serve: cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": the port is in use; stop what listens there or choose another --port\n");
    }
  }

  @Test
  void sigtermFinishesTheTaskInFlightThenExits(@TempDir Path tmp) throws Exception {
    Path token = Files.writeString(tmp.resolve("token"), "tok\n");
    Process server =
        weftProcess(
                "serve",
                "--port",
                "0",
                "--token-file",
                token.toString(),
                "--module-dir",
                EXAMPLES.toString(),
                "--no-cache",
                "--timeout",
                "1500ms",
                "--requeue-after",
                "15s")
            .redirectError(tmp.resolve("server.log").toFile())
            .start();
    try {
      // stdout says listening, then ready once the warm-up is done; /readyz agrees from then on
      java.io.BufferedReader lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      CompletableFuture<List<String>> firstTwo =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return java.util.Arrays.asList(lines.readLine(), lines.readLine());
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      List<String> out = firstTwo.get(120, TimeUnit.SECONDS);
      assertThat(out.get(0))
          .as(Files.readString(tmp.resolve("server.log")))
          .matches(
              "weft serve: listening on 127\\.0\\.0\\.1:\\d+ \\(warming up; /readyz answers 200 when ready\\)");
      String port = out.get(0).replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1");
      assertThat(out.get(1))
          .matches("weft serve: ready on 127\\.0\\.0\\.1:" + port + " after [0-9.]+m?s");
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);

      String body =
          "{\"workflow\":{\"metadata\":{\"name\":\"wf\",\"uid\":\"sigterm\"}},"
              + "\"template\":{\"name\":\"loop\",\"plugin\":{\"wasm\":{\"module\":{\"file\":\"adversarial/loop.wasm\"}}}}}";
      CompletableFuture<HttpResponse<String>> inFlight =
          http.sendAsync(
              HttpRequest.newBuilder(base.resolve("/api/v1/template.execute"))
                  .header("Authorization", "Bearer tok")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (int i = 0; i < 200; i++) { // until the task is surely running
        String metrics =
            http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (metrics.contains("weft_tasks_running 1.0")) break;
        Thread.sleep(20);
      }
      server.destroy(); // SIGTERM

      HttpResponse<String> r = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"phase\":\"Failed\"").contains("time limit of 1500ms");
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("exited after draining").isTrue();
    } finally {
      server.destroyForcibly();
    }
  }
}
