package dev.weft.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) on
 * 127.0.0.1, a free port and a fresh storage directory, optionally behind htpasswd basic auth. The
 * binary is the one thing the tests cannot make themselves: {@code .ci/test} installs it.
 */
public final class RegistryServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final Path storage;
  private final Path config;
  private final Path log;
  private final int port;
  private final boolean auth;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  private RegistryServer(Optional<String[]> userPass) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(missingBinaryMessage());
    }
    try {
      this.dir = Files.createTempDirectory("weft-registry-");
      this.storage = Files.createDirectories(dir.resolve("storage"));
      this.config = dir.resolve("config.yml");
      this.log = dir.resolve("registry.log");
      this.port = freePort();
      this.auth = userPass.isPresent();
      StringBuilder yml = new StringBuilder();
      yml.append("version: 0.1\n")
          .append("log: {level: warn}\n")
          .append("storage: {filesystem: {rootdirectory: \"")
          .append(storage)
          .append("\"}, delete: {enabled: true}}\n")
          .append("http: {addr: \"127.0.0.1:")
          .append(port)
          .append("\"}\n");
      if (userPass.isPresent()) {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, htpasswd(userPass.get()[0], userPass.get()[1]));
        yml.append("auth: {htpasswd: {realm: weft-test, path: \"")
            .append(htpasswd)
            .append("\"}}\n");
      }
      Files.writeString(config, yml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static String missingBinaryMessage() {
    return BINARY
        + " is missing: the OCI tests need a real registry (Debian's CNCF distribution 2.8);"
        + " run the tests with .ci/test, which installs it, or run `sudo apt-get install docker-registry`";
  }

  /** A registry that lets anyone push and pull. */
  public static RegistryServer anonymous() {
    return new RegistryServer(Optional.empty());
  }

  /** A registry that requires HTTP basic auth with this one user (htpasswd, bcrypt). */
  public static RegistryServer withBasicAuth(String user, String pass) {
    return new RegistryServer(Optional.of(new String[] {user, pass}));
  }

  /** {@code 127.0.0.1:PORT}, the form image references and {@code insecure(...)} use. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  URI uri(String path) {
    return URI.create("http://" + host() + path);
  }

  /** The registry's storage root (filesystem driver), for tests that tamper with stored blobs. */
  Path storageDir() {
    return storage;
  }

  /** Where a blob's bytes live in the filesystem driver's layout. */
  Path blobFile(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    return storage
        .resolve("docker/registry/v2/blobs/sha256")
        .resolve(hex.substring(0, 2))
        .resolve(hex)
        .resolve("data");
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** Kills the registry (the port stops answering); storage is kept for {@link #restart()}. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts it again on the same port with the same storage. */
  synchronized void restart() {
    stop();
    start();
  }

  @Override
  public synchronized void close() {
    stop();
    deleteRecursively(dir);
  }

  private synchronized void start() {
    try {
      ProcessBuilder pb =
          new ProcessBuilder(BINARY.toString(), "serve", config.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + BINARY + ": " + e, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    int expected = auth ? 401 : 200;
    int last = -1;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "docker-registry exited with "
                + process.exitValue()
                + " on start; log tail:\n"
                + logTail());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(uri("/v2/")).timeout(Duration.ofSeconds(1)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        last = r.statusCode();
        if (last == expected) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the registry", e);
      }
      sleep(30);
    }
    stop();
    throw new IllegalStateException(
        "docker-registry on "
            + host()
            + " did not answer GET /v2/ with "
            + expected
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s (last status "
            + last
            + "); log tail:\n"
            + logTail());
  }

  String logTail() {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /**
   * An htpasswd line with a bcrypt hash (the only kind distribution accepts), written here rather
   * than by apache2-utils.
   */
  static String htpasswd(String user, String pass) {
    char[] hash =
        at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
            .hashToChar(5, pass.toCharArray());
    return user + ":" + new String(hash) + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
