package dev.weft.bench.agent;

import dev.weft.plugin.PluginServer;
import dev.weft.plugin.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sidecar path in PoolBench's run: an agent-like client (16 concurrent calls, Argo's {@code
 * ARGO_AGENT_TASK_WORKERS}) posting hello steps to an in-process {@code weft serve}.
 */
final class SidecarLoad {
  private SidecarLoad() {}

  /** An agent-like client calling an in-process weft serve, 16 calls at a time. */
  static void run(Path modules, int total) throws Exception {
    PluginServer s =
        PluginServer.start(
            ServerConfig.defaults(Optional.empty())
                .withModuleDir(modules)
                .withWorkers(Runtime.getRuntime().availableProcessors(), 256));
    try {
      HttpClient http = HttpClient.newBuilder().build();
      URI uri = URI.create("http://127.0.0.1:" + s.port() + "/api/v1/template.execute");
      long readyUntil = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < readyUntil
          && http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/readyz"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              != 200) {
        Thread.sleep(100);
      }
      List<Long> lat = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger n = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      ThreadCpu cpu = new ThreadCpu();
      long t0 = System.nanoTime();
      for (int w = 0; w < 16; w++) {
        pool.execute(
            () -> {
              int i;
              while ((i = n.getAndIncrement()) < total) {
                String body =
                    "{\"workflow\":{\"metadata\":{\"name\":\"side\",\"namespace\":\"argo\",\"uid\":\"side-"
                        + i
                        + "\"}},\"template\":"
                        + PoolBench.HELLO
                        + "}";
                long a = System.nanoTime();
                try {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200 || !r.body().contains("Succeeded"))
                    failed.incrementAndGet();
                } catch (Exception e) {
                  failed.incrementAndGet();
                }
                lat.add(System.nanoTime() - a);
              }
            });
      }
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.MINUTES);
      long t1 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "sidecar: %d hello steps from 16 concurrent calls in %.2f s: %.0f tasks/s, %d failed; request latency %s;"
              + " Argo's agent then waits up to its patch interval (10 s by default) before the result reaches the TaskSet%n",
          total,
          (t1 - t0) / 1e9,
          total / ((t1 - t0) / 1e9),
          failed.get(),
          PoolBench.Results.percentiles(lat));
      System.out.println("sidecar " + cpu.perTask(total));
    } finally {
      s.close();
    }
  }
}
