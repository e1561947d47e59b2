package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.ModuleFetchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token flow of registries such as Docker Hub and GHCR ({@code WWW-Authenticate: Bearer realm,
 * service, scope}). No token server can run here, so a stand-in sits in front of the real registry:
 * it answers 401 with a Bearer challenge, issues a token at its realm for the right basic
 * credentials, and forwards requests carrying that token to the registry.
 */
class TokenAuthTest extends OnRegistry {
  private static final String TOKEN = "t0ken-" + System.nanoTime();
  private static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
  private static HttpServer front;
  private static String frontHost;

  @BeforeAll
  static void startFront() throws IOException {
    front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    frontHost = "127.0.0.1:" + front.getAddress().getPort();
    front.createContext(
        "/token",
        ex -> {
          String expected =
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("robot:pa55".getBytes(StandardCharsets.UTF_8));
          String query = ex.getRequestURI().getRawQuery();
          boolean ok =
              expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
                  && query != null
                  && query.contains("service=weft-front")
                  && query.contains("scope=repository%3Atoken%2Fhello%3Apull");
          if (ok) TOKENS_ISSUED.incrementAndGet();
          reply(
              ex,
              ok ? 200 : 401,
              ok ? "{\"token\":\"" + TOKEN + "\"}" : "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}",
              Map.of());
        });
    front.createContext("/v2/", TokenAuthTest::forward);
    front.start();
  }

  @AfterAll
  static void stopFront() {
    front.stop(0);
  }

  private static void forward(HttpExchange ex) throws IOException {
    if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      String repo =
          ex.getRequestURI()
              .getPath()
              .replaceFirst("^/v2/", "")
              .replaceFirst("/(manifests|blobs)/.*$", "");
      reply(
          ex,
          401,
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}",
          Map.of(
              "WWW-Authenticate",
              "Bearer realm=\"http://"
                  + frontHost
                  + "/token\",service=\"weft-front\",scope=\"repository:"
                  + repo
                  + ":pull\""));
      return;
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + registry.host() + ex.getRequestURI()));
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (accept != null) b.header("Accept", accept);
    b.method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<byte[]> r =
          HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new java.util.HashMap<>();
      r.headers().firstValue("Content-Type").ifPresent(v -> headers.put("Content-Type", v));
      r.headers()
          .firstValue("Docker-Content-Digest")
          .ifPresent(v -> headers.put("Docker-Content-Digest", v));
      ex.getResponseHeaders().putAll(toLists(headers));
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.statusCode(), head ? -1 : r.body().length);
      if (!head) ex.getResponseBody().write(r.body());
      ex.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static Map<String, java.util.List<String>> toLists(Map<String, String> m) {
    Map<String, java.util.List<String>> out = new java.util.HashMap<>();
    m.forEach((k, v) -> out.put(k, java.util.List.of(v)));
    return out;
  }

  private static void reply(HttpExchange ex, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().putAll(toLists(headers));
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Test
  void pullFollowsTheBearerChallengeWithBasicCredentialsAtTheRealm() {
    client.push(HELLO, "hello.wasm", ref("token/hello", "1"), Map.of());
    RegistryClient viaFront =
        RegistryClient.builder()
            .insecure(frontHost)
            .credentials(Credentials.basic(frontHost, "robot", "pa55"))
            .build();

    Pulled p = viaFront.pull(ImageRef.parse(frontHost + "/token/hello:1"));
    assertThat(p.module()).isEqualTo(HELLO);
    int issued = TOKENS_ISSUED.get();
    viaFront.pull(ImageRef.parse(frontHost + "/token/hello:1"));
    assertThat(TOKENS_ISSUED.get()).as("the token is reused for the same scope").isEqualTo(issued);
  }

  @Test
  void refusedTokenRequestNamesTheRegistry() {
    RegistryClient wrong =
        RegistryClient.builder()
            .insecure(frontHost)
            .credentials(Credentials.basic(frontHost, "robot", "nope"))
            .build();
    assertThatThrownBy(() -> wrong.pull(ImageRef.parse(frontHost + "/token/hello:1")))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("token service of " + frontHost)
        .hasMessageContaining("refused the credentials")
        .hasMessageNotContaining("nope");
    RegistryClient anonymous = RegistryClient.builder().insecure(frontHost).build();
    assertThatThrownBy(() -> anonymous.pull(ImageRef.parse(frontHost + "/token/hello:1")))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("refused an anonymous request");
  }
}
