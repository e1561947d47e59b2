package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.argo.RegistrySettings;
import dev.weft.runtime.Digests;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests a hostile workflow author could send: module URLs aimed elsewhere (SSRF), lenient JSON,
 * paths with NUL. Each is refused with a reply naming what was wrong, and the server keeps serving.
 */
class HostileRequestsTest {
  static final String TOKEN = "hostile-requests-token";
  static PluginServer server;
  static PluginClient argo;
  static HttpServer modules;
  static HttpServer elsewhere;
  static final AtomicInteger elsewhereHits = new AtomicInteger();
  static String allowed;
  static String helloDigest;

  @BeforeAll
  static void start() throws Exception {
    byte[] hello = Files.readAllBytes(PluginClient.EXAMPLES.resolve("hello/hello.wasm"));
    helloDigest = Digests.sha256(hello);
    modules = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    modules.createContext(
        "/modules/",
        ex -> {
          ex.sendResponseHeaders(200, hello.length);
          ex.getResponseBody().write(hello);
          ex.close();
        });
    modules.start();
    elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    elsewhere.createContext(
        "/",
        ex -> {
          elsewhereHits.incrementAndGet();
          ex.sendResponseHeaders(200, hello.length);
          ex.getResponseBody().write(hello);
          ex.close();
        });
    elsewhere.start();
    allowed = "http://127.0.0.1:" + modules.getAddress().getPort() + "/modules";
    server =
        PluginServer.start(
            ServerConfig.defaults(Optional.of(TOKEN))
                .withModuleDir(PluginClient.EXAMPLES)
                .withRegistries(
                    RegistrySettings.defaults()
                        .withModuleUrls(List.of(allowed, "http://169.254.169.254/latest"))));
    argo = new PluginClient(server, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
    modules.stop(0);
    elsewhere.stop(0);
  }

  private static String httpModule(String uid, String url, String sha256) {
    return PluginClient.step(
        uid, "{\"module\":{\"http\":{\"url\":\"" + url + "\",\"sha256\":\"" + sha256 + "\"}}}", "");
  }

  @Test
  void aModuleUrlUnderTheAllowListIsFetchedAndRun() throws Exception {
    PluginClient.Reply r = argo.execute(httpModule("ok", allowed + "/hello.wasm", helloDigest));

    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
  }

  @Test
  void anotherPortOnLoopbackIsRefusedWithoutBeingContacted() throws Exception {
    String other = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/modules/hello.wasm";
    PluginClient.Reply r = argo.execute(httpModule("port", other, helloDigest));

    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message())
        .contains("plugin.wasm.module.http.url")
        .contains("--module-allow-url")
        .contains(allowed);
    assertThat(elsewhereHits.get()).isZero();
  }

  @Test
  void aPrefixMatchesOnlyAtAPathBoundary() throws Exception {
    PluginClient.Reply r =
        argo.execute(httpModule("boundary", allowed + "-evil/hello.wasm", helloDigest));

    assertThat(r.message()).contains("is not allowed");
  }

  @Test
  void theMetadataAddressIsRefusedEvenWhenAllowListedAndBeforeConnecting() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            httpModule("metadata", "http://169.254.169.254/latest/m.wasm", "ab".repeat(32)));

    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message()).contains("link-local or metadata address 169.254.169.254");
  }

  @Test
  void aDigestMismatchDoesNotTellWhatWasFetched() throws Exception {
    PluginClient.Reply r =
        argo.execute(httpModule("mismatch", allowed + "/hello.wasm", "ab".repeat(32)));

    assertThat(r.message())
        .contains("does not match the pinned sha256:" + "ab".repeat(32))
        .doesNotContain(helloDigest.substring(7));
  }

  @Test
  void aNulInAModuleFileIsAFailedNodeNamingTheField() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            PluginClient.step("nul", "{\"module\":{\"file\":\"hello/hello\\u0000.wasm\"}}", ""));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message()).contains("plugin.wasm.module.file");
  }

  @Test
  void trailingGarbageAfterTheBodyIsA400() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            PluginClient.step("trail", "{\"module\":{\"file\":\"hello/hello.wasm\"}}", "") + " {}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("error").asText())
        .contains("malformed JSON")
        .containsIgnoringCase("trailing");
  }

  @Test
  void aDuplicateKeyIsA400NamingTheKey() throws Exception {
    String body =
        PluginClient.step(
            "dup", "{\"module\":{\"file\":\"hello/hello.wasm\"},\"module\":{\"file\":\"x\"}}", "");
    PluginClient.Reply r = argo.execute(body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("error").asText()).contains("Duplicate field 'module'");
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsRefused() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + PluginServer.EXECUTE))
                    .header("Content-Type", "text/plain")
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            PluginClient.step(
                                "ct", "{\"module\":{\"file\":\"hello/hello.wasm\"}}", "")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body()).contains("Content-Type must be application/json, got 'text/plain'");
  }

  @Test
  void aTokenWithSomethingAfterItIsRefused() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            PluginClient.step("tok", "{\"module\":{\"file\":\"hello/hello.wasm\"}}", ""),
            "Bearer " + TOKEN + " x");

    assertThat(r.status()).isEqualTo(403);
  }

  @Test
  void healthzSaysOkWhileNoWorkerIsWedged() throws Exception {
    HttpResponse<String> r = argo.get("/healthz");

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void parametersGivenAsAnObjectAreAFailedNodeNamingTheField() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            PluginClient.step(
                "params-object",
                "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
                "\"inputs\":{\"parameters\":{\"name\":\"x\"}}"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message()).contains("inputs.parameters").contains("must be a list, got object");
  }
}
