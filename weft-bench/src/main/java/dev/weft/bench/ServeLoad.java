package dev.weft.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A count-based load client for {@code weft serve}: N requests from C concurrent clients, each
 * request one {@code hello} step, as Argo's agent sends it. Prints throughput, latency percentiles
 * and every non-200 or non-Succeeded reply count; exits 1 if any request failed.
 *
 * <p>Usage: {@code ServeLoad URL TOKEN_FILE REQUESTS CLIENTS}
 */
public final class ServeLoad {
  public static void main(String[] a) throws Exception {
    URI url = URI.create(a[0]);
    String token = Files.readString(Path.of(a[1])).strip();
    int requests = Integer.parseInt(a[2]);
    int clients = Integer.parseInt(a[3]);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long[] latencies = new long[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLong notSucceeded = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i; (i = next.getAndIncrement()) < requests; ) {
                    // distinct uids: every request is a new task, not an idempotent repeat
                    String body =
                        "{\"workflow\":{\"metadata\":{\"name\":\"load\",\"namespace\":\"argo\",\"uid\":\"load-"
                            + i
                            + "\"}},"
                            + "\"template\":{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"load\"}]},"
                            + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},"
                            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}}";
                    HttpRequest req =
                        HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build();
                    long s = System.nanoTime();
                    try {
                      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                      latencies[i] = System.nanoTime() - s;
                      if (r.statusCode() != 200) errors.incrementAndGet();
                      else if (!r.body().contains("\"phase\":\"Succeeded\""))
                        notSucceeded.incrementAndGet();
                    } catch (Exception e) {
                      latencies[i] = System.nanoTime() - s;
                      errors.incrementAndGet();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "client-" + c);
      t.start();
    }
    done.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "requests %d, clients %d, %.2f s, %.0f tasks/s, errors %d, not Succeeded %d%n",
        requests,
        clients,
        seconds,
        requests / seconds,
        errors.get(),
        notSucceeded.get());
    System.out.printf(
        Locale.ROOT,
        "latency ms: p50 %.3f, p90 %.3f, p99 %.3f, p99.9 %.3f, max %.3f%n",
        pct(sorted, 50),
        pct(sorted, 90),
        pct(sorted, 99),
        pct(sorted, 99.9),
        sorted[sorted.length - 1] / 1e6);
    System.exit(errors.get() + notSucceeded.get() == 0 ? 0 : 1);
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
