package dev.weft.bench.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar's cost at the start of a workflow, as Argo's agent meets it: a fresh {@code weft
 * serve} process is started; measured are the time until its port accepts connections, the time
 * until its first hello step is answered (sent the moment the port accepts), and its resident
 * memory then and after the warm start. Repeated N times; one line per run.
 *
 * <p>Usage: {@code SidecarStart JAR MODULE_DIR RUNS [JVM_OPTION...] [-- SERVE_OPTION...]}; the
 * sidecar's JVM is {@code java} on the PATH, or the system property {@code sidecar.java}.
 */
public final class SidecarStart {
  private SidecarStart() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path modules = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    List<String> rest = List.of(args).subList(3, args.length);
    int dash = rest.indexOf("--");
    List<String> jvm = dash < 0 ? rest : rest.subList(0, dash);
    List<String> serve = dash < 0 ? List.of() : rest.subList(dash + 1, rest.size());
    System.out.println(
        "run  listening_ms  cpu_at_listening_ms  first_answer_ms  cpu_at_first_answer_ms  rss_first_mib  rss_after_warm_mib  hwm_mib");
    for (int i = 1; i <= runs; i++) {
      int port = 20_000 + (int) (ProcessHandle.current().pid() % 5000) + i;
      List<String> cmd = new ArrayList<>(List.of(System.getProperty("sidecar.java", "java")));
      cmd.addAll(jvm);
      cmd.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "serve",
              "--port",
              String.valueOf(port),
              "--insecure-no-auth",
              "--module-dir",
              modules.toString(),
              "--no-cache"));
      cmd.addAll(serve);
      Path log = Files.createTempFile("sidecar-", ".log");
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        long listening = waitForPort(port, t0, p);
        long cpuListening = cpuMs(p.pid());
        String body =
            "{\"workflow\":{\"metadata\":{\"name\":\"wf\",\"namespace\":\"argo\",\"uid\":\"start-"
                + i
                + "\"}},"
                + "\"template\":{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"start\"}]},"
                + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},"
                + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}}";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/template.execute"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long first = (System.nanoTime() - t0) / 1_000_000;
        long cpuFirst = cpuMs(p.pid());
        if (r.statusCode() != 200 || !r.body().contains("Succeeded"))
          throw new IllegalStateException("first step: " + r.statusCode() + " " + r.body());
        long rssFirst = rss(p.pid(), "VmRSS");
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
          HttpResponse<String> ready =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (ready.statusCode() == 200) break;
          Thread.sleep(50);
        }
        System.out.printf(
            "%3d  %12d  %19d  %15d  %22d  %13d  %18d  %7d%n",
            i,
            listening,
            cpuListening,
            first,
            cpuFirst,
            rssFirst,
            rss(p.pid(), "VmRSS"),
            rss(p.pid(), "VmHWM"));
      } finally {
        p.destroy();
        p.waitFor();
        Files.deleteIfExists(log);
      }
    }
  }

  private static long waitForPort(int port, long t0, Process p) throws InterruptedException {
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return (System.nanoTime() - t0) / 1_000_000;
      } catch (IOException e) {
        if (!p.isAlive())
          throw new IllegalStateException("weft serve exited with " + p.exitValue());
        Thread.sleep(2);
      }
    }
  }

  /**
   * User plus system CPU time of the process so far (all threads), from /proc (clock ticks of 10
   * ms).
   */
  private static long cpuMs(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static long rss(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":"))
        return Long.parseLong(line.replaceAll("\\D+", " ").trim().split(" ")[0]) / 1024;
    }
    return -1;
  }
}
