package dev.weft.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}, {@code /readyz} and {@code /metrics} on the JDK's HTTP server: three routes
 * need no framework.
 */
final class OpsServer {
  private final HttpServer server;
  private final ExecutorService threads =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "weft-agent-ops");
            t.setDaemon(true);
            return t;
          });

  OpsServer(
      String host,
      int port,
      BooleanSupplier ready,
      Supplier<String> state,
      Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " for /healthz, /readyz and /metrics: "
              + e.getMessage(),
          e);
    }
    server.setExecutor(threads);
    server.createContext("/healthz", x -> send(x, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        x -> send(x, ready.getAsBoolean() ? 200 : 503, "text/plain", state.get() + "\n"));
    server.createContext(
        "/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    try (x) {
      if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
        x.sendResponseHeaders(405, -1);
        return;
      }
      String path = x.getRequestURI().getPath();
      if (!path.equals(x.getHttpContext().getPath())) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", type);
      x.sendResponseHeaders(status, b.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    }
  }
}
