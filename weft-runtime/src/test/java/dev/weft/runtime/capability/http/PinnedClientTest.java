package dev.weft.runtime.capability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP capability's client against servers on 127.0.0.1, reached under a name only its pinned
 * resolver knows ({@code pinned.test}): had the client looked the name up itself, no request here
 * could connect.
 */
class PinnedClientTest {
  /** Released when the tests end: a stalled answer waits on it instead of sleeping. */
  private static final CountDownLatch TESTS_DONE = new CountDownLatch(1);

  private static final InetAddress[] LOOPBACK = {InetAddress.getLoopbackAddress()};
  private static final Duration CONNECT = Duration.ofSeconds(2);

  private static HttpServer server;
  private static int port;
  private static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    port = server.getAddress().getPort();
    server.createContext(
        "/echo",
        ex -> {
          seen.add(ex.getRequestHeaders().getFirst("Host") + " " + ex.getRequestURI());
          byte[] in = ex.getRequestBody().readAllBytes();
          byte[] b =
              (ex.getRequestMethod() + " " + new String(in, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("X-Two", "a");
          ex.getResponseHeaders().add("X-Two", "b");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.createContext(
        "/chunked-big", // no Content-Length: the cap is found while reading
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 64; i++) out.write(new byte[1024]);
          } catch (IOException e) {
            // the client stopped reading at the cap
          }
        });
    server.createContext(
        "/stall", // headers and a first byte, then nothing until the tests end
        ex -> {
          ex.sendResponseHeaders(200, 200);
          try (OutputStream out = ex.getResponseBody()) {
            out.write('x');
            out.flush();
            TESTS_DONE.await();
          } catch (IOException e) {
            // the client gave up at its deadline
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  @AfterAll
  static void stop() {
    TESTS_DONE.countDown();
    server.stop(0);
  }

  private static long in(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static PinnedClient.Answer get(String path, long cap, Duration total) throws Exception {
    return PinnedClient.exchange(
        URI.create("http://pinned.test:" + port + path),
        LOOPBACK,
        "GET",
        List.of(),
        new byte[0],
        CONNECT,
        in(total),
        cap);
  }

  @Test
  void theRequestGoesToTheCheckedAddressUnderItsName() throws Exception {
    seen.clear();
    PinnedClient.Answer a =
        PinnedClient.exchange(
            URI.create("http://pinned.test:" + port + "/echo?q=1"),
            LOOPBACK,
            "POST",
            List.<String[]>of(new String[] {"Content-Type", "text/plain"}),
            "hi".getBytes(StandardCharsets.UTF_8),
            CONNECT,
            in(Duration.ofSeconds(10)),
            1024);

    assertThat(a.status()).isEqualTo(200);
    assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("POST hi");
    assertThat(a.headers().get("x-two")).containsExactly("a", "b");
    assertThat(seen).containsExactly("pinned.test:" + port + " /echo?q=1");
  }

  @Test
  void aBodyWithoutContentLengthIsCutAtTheCap() {
    assertThatThrownBy(() -> get("/chunked-big", 4096, Duration.ofSeconds(10)))
        .isInstanceOf(PinnedClient.TooLarge.class);
  }

  @Test
  void aBodyThatStallsPastTheDeadlineIsAbandonedAtIt() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> get("/stall", 1024, Duration.ofMillis(400)))
        .isInstanceOf(TimeoutException.class);
    // the server would hold the body until the tests end; the deadline lets the caller go
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3000);
  }

  @Test
  void theResolverAnswersOnlyTheCheckedHostAndNeverLooksUp() throws Exception {
    PinnedClient.CheckedAddresses r = new PinnedClient.CheckedAddresses("pinned.test", LOOPBACK);
    assertThat(r.resolve("PINNED.test")).containsExactly(LOOPBACK);
    assertThat(r.resolve("pinned.test", 8080))
        .containsExactly(new InetSocketAddress(LOOPBACK[0], 8080));
    assertThatThrownBy(() -> r.resolve("other.test")).isInstanceOf(UnknownHostException.class);
    assertThatThrownBy(() -> r.resolve("other.test", 80)).isInstanceOf(UnknownHostException.class);

    InetAddress v6 = InetAddress.getByName("::1");
    assertThat(new PinnedClient.CheckedAddresses("[::1]", new InetAddress[] {v6}).resolve("::1"))
        .containsExactly(v6);
  }

  @Test
  void tlsSendsTheNameAsSniAndChecksTheCertificateAgainstTheJdkTrustStoreUnlessTold(
      @TempDir Path dir) throws Exception {
    SSLContext tls = selfSigned(dir);
    List<String> sni = Collections.synchronizedList(new ArrayList<>());
    List<String> served = Collections.synchronizedList(new ArrayList<>());
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setSNIMatchers(
                List.of(
                    new SNIMatcher(0) {
                      @Override
                      public boolean matches(SNIServerName name) {
                        sni.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
                        return true;
                      }
                    }));
            params.setSSLParameters(p);
          }
        });
    https.createContext(
        "/",
        ex -> {
          served.add(ex.getRequestURI().toString());
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    https.start();
    try {
      URI uri = URI.create("https://pinned.test:" + https.getAddress().getPort() + "/");
      assertThatThrownBy(
              () ->
                  PinnedClient.exchange(
                      uri,
                      LOOPBACK,
                      "GET",
                      List.of(),
                      new byte[0],
                      CONNECT,
                      in(Duration.ofSeconds(10)),
                      1024))
          .as("a certificate no trusted authority signed is refused")
          .isInstanceOf(IOException.class)
          .hasMessageContaining("certification path");
      assertThat(sni).containsExactly("pinned.test");
      assertThat(served).isEmpty();

      // insecureSkipVerify (http: templates): the same server is answered, SNI still the name
      PinnedClient.Answer a =
          PinnedClient.exchange(
              uri,
              LOOPBACK,
              "GET",
              List.of(),
              new byte[0],
              CONNECT,
              in(Duration.ofSeconds(10)),
              1024,
              false,
              abort -> {});
      assertThat(a.status()).isEqualTo(204);
      assertThat(sni).containsExactly("pinned.test", "pinned.test");
      assertThat(served).containsExactly("/");
    } finally {
      https.stop(0);
    }
  }

  /** A self-signed certificate for pinned.test, made with the JDK's keytool. */
  private static SSLContext selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=pinned.test",
                "-ext",
                "SAN=dns:pinned.test",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
