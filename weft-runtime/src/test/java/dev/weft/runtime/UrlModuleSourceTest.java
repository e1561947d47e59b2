package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Modules fetched over HTTP from a real server on 127.0.0.1, pinned by SHA-256. */
class UrlModuleSourceTest {
  private static HttpServer server;
  private static byte[] hello;
  private static String base;

  @BeforeAll
  static void serve() throws Exception {
    hello = Files.readAllBytes(Examples.module("hello"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/modules/hello.wasm",
        ex -> {
          ex.sendResponseHeaders(200, hello.length);
          ex.getResponseBody().write(hello);
          ex.close();
        });
    server.createContext(
        "/missing.wasm",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void pinnedModuleIsFetchedVerifiedAndRun() {
    String digest = Digests.sha256(hello);
    TaskResult r =
        WeftRuntime.create()
            .run(
                ModuleSource.url(
                    URI.create(base + "/modules/hello.wasm"), Optional.of(digest.substring(7))),
                TaskSpec.builder().parameter("name", "HTTP").build());

    assertThat(r.outputParameter("greeting")).contains("Hello, HTTP!");
    assertThat(r.moduleDigest()).isEqualTo(digest);
  }

  @Test
  void wrongPinIsRefusedWithoutEchoingTheDigestOfWhatWasFetched() {
    String wrong = "ab".repeat(32);
    assertThatThrownBy(
            () ->
                WeftRuntime.create()
                    .load(
                        ModuleSource.url(
                            URI.create(base + "/modules/hello.wasm"), Optional.of(wrong))))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("sha256:" + wrong)
        .hasMessageNotContaining(Digests.sha256(hello).substring(7));
  }

  @Test
  void httpErrorIsNamed() {
    assertThatThrownBy(
            () ->
                WeftRuntime.create()
                    .load(ModuleSource.url(URI.create(base + "/missing.wasm"), Optional.empty())))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("/missing.wasm");
  }

  @Test
  void onlyHttpAndHttpsAreAccepted() {
    assertThatThrownBy(() -> ModuleSource.url(URI.create("file:///etc/passwd"), Optional.empty()))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("http or https");
  }
}
