package dev.weft.oci;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) on
 * 127.0.0.1, anonymous or with htpasswd basic auth, plus raw pushes that bypass weft's client.
 */
public final class LocalRegistry implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Path dir;
  private final int port;
  private final Optional<String> basic; // "user:password"
  private Process process;

  private LocalRegistry(Optional<String> basic) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/docker-registry"))) {
      throw new IllegalStateException("docker-registry is not installed: apt-get install docker-registry apache2-utils (.ci/run does)");
    }
    this.basic = basic;
    this.dir = Files.createTempDirectory("weft-registry-");
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    String auth = "";
    if (basic.isPresent()) {
      String[] up = basic.get().split(":", 2);
      Process h = new ProcessBuilder("htpasswd", "-Bbn", up[0], up[1]).redirectErrorStream(true).start();
      String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (h.waitFor() != 0) throw new IllegalStateException("htpasswd failed: " + line);
      Files.writeString(dir.resolve("htpasswd"), line + "\n");
      auth = "auth: {htpasswd: {realm: weft-test, path: " + dir.resolve("htpasswd") + "}}\n";
    }
    Files.writeString(dir.resolve("config.yml"), "version: 0.1\nlog: {level: warn}\n"
        + "storage: {filesystem: {rootdirectory: " + dir.resolve("data") + "}, delete: {enabled: true}}\n"
        + "http: {addr: 127.0.0.1:" + port + "}\n" + auth);
    start();
  }

  public static LocalRegistry anonymous() throws Exception {
    return new LocalRegistry(Optional.empty());
  }

  public static LocalRegistry withBasicAuth(String user, String password) throws Exception {
    return new LocalRegistry(Optional.of(user + ":" + password));
  }

  public String host() {
    return "127.0.0.1:" + port;
  }

  public void start() throws Exception {
    process = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try {
        int s = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (s == 200 || s == 401) return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the registry did not start: " + Files.readString(dir.resolve("registry.log")));
  }

  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  /** The file the registry keeps a blob in, to tamper with. */
  Path blobFile(String digest) {
    String hex = digest.substring(7);
    return dir.resolve("data/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
  }

  String pushBlob(String repo, byte[] data) throws Exception {
    String digest = RegistryClient.sha256(data);
    HttpResponse<Void> start = HTTP.send(auth(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/")))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    URI loc = URI.create("http://" + host() + "/").resolve(start.headers().firstValue("Location").orElseThrow());
    URI put = URI.create(loc + (loc.getRawQuery() == null ? "?" : "&") + "digest=" + digest.replace(":", "%3A"));
    int s = HTTP.send(auth(HttpRequest.newBuilder(put)).PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    if (s != 201) throw new IllegalStateException("blob upload failed: HTTP " + s);
    return digest;
  }

  /** Pushes a one-layer manifest with the given layer media type; returns its digest. */
  String pushManifest(String repo, String tag, String mediaType, String json) throws Exception {
    int s = HTTP.send(auth(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + tag)))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    if (s != 201) throw new IllegalStateException("manifest upload failed: HTTP " + s);
    return RegistryClient.sha256(json.getBytes(StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder auth(HttpRequest.Builder b) {
    basic.ifPresent(c -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))));
    return b;
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.destroy();
      process.waitFor();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

}
