package dev.weft.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Talks to a running {@link PluginServer} the way Argo's agent does: plain HTTP, JSON, a bearer
 * token.
 */
final class PluginClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .toAbsolutePath()
          .normalize();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, JsonNode body) {
    String phase() {
      return body.path("node").path("phase").asText();
    }

    String message() {
      return body.path("node").path("message").asText();
    }
  }

  private final String base;
  private final String token;

  PluginClient(PluginServer server, String token) {
    this.base = "http://127.0.0.1:" + server.port();
    this.token = token;
  }

  Reply execute(String body) throws IOException, InterruptedException {
    return execute(body, token == null ? null : "Bearer " + token);
  }

  Reply execute(String body, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + PluginServer.EXECUTE))
            .timeout(Duration.ofSeconds(30)) // Argo's agent gives up after 30 s
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) b.header("Authorization", authorization);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String recorded(String name) throws IOException {
    return Files.readString(Path.of("src/test/resources/argo-requests", name));
  }

  /** A wasm step request with the given plugin.wasm block and template extras (JSON fragments). */
  static String step(String uid, String wasm, String templateExtras) {
    return "{\"workflow\":{\"metadata\":{\"name\":\"wf\",\"namespace\":\"argo\",\"uid\":\""
        + uid
        + "\"}},"
        + "\"template\":{\"name\":\"t\""
        + (templateExtras.isEmpty() ? "" : "," + templateExtras)
        + ",\"plugin\":{\"wasm\":"
        + wasm
        + "}}}";
  }
}
