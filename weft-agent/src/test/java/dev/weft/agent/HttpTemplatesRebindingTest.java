package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.argo.NodeResult;
import dev.weft.runtime.capability.http.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http:} templates resolve a host once per request and redirect hop and connect to the
 * address the policy checked: a name that answers an allowed address and then the metadata address
 * cannot steer a request there. The resolver is injected; the only address ever connected to is
 * 127.0.0.1 (and {@code rebind.test} is known to no other resolver, so a second lookup by the
 * client would fail the request).
 */
class HttpTemplatesRebindingTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetAddress METADATA = address(169, 254, 169, 254);

  private static HttpServer server;
  private static int port;
  private static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    port = server.getAddress().getPort();
    server.createContext(
        "/hello",
        ex -> {
          seen.add(ex.getRequestHeaders().getFirst("Host") + " " + ex.getRequestURI());
          byte[] b = "hello from the checked address".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.createContext(
        "/moved",
        ex -> {
          seen.add(ex.getRequestHeaders().getFirst("Host") + " " + ex.getRequestURI());
          ex.getResponseHeaders().add("Location", "http://rebind.test:" + port + "/hello");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.createContext(
        "/hang", // answers only when the tests are over
        ex -> {
          HANGING.countDown();
          try {
            RELEASED.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  private static final CountDownLatch HANGING = new CountDownLatch(1);
  private static final CountDownLatch RELEASED = new CountDownLatch(1);

  @AfterAll
  static void stop() {
    RELEASED.countDown();
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    seen.clear();
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Answers each lookup of {@code rebind.test} with the next of {@code answers} (then the last).
   */
  private static HostResolver rebinding(AtomicInteger lookups, InetAddress... answers) {
    return host -> {
      assertThat(host).isEqualTo("rebind.test");
      int n = lookups.getAndIncrement();
      return new InetAddress[] {answers[Math.min(n, answers.length - 1)]};
    };
  }

  @Test
  void anInterruptedTaskStopsWaitingForItsExchange() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread task =
        new Thread(
            () -> {
              try {
                outcome.complete(get("/hang", rebinding(lookups, LOOPBACK)));
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    task.start();
    assertThat(HANGING.await(10, TimeUnit.SECONDS)).as("the request reached the server").isTrue();
    long t0 = System.nanoTime();
    task.interrupt();

    // the template's timeout is 10 s and the server never answers: only the interrupt ends it
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5000);
  }

  private static NodeResult get(String path, HostResolver resolver) throws Exception {
    HttpTemplates templates =
        new HttpTemplates(
            HttpPolicy.defaults().allowingLoopback(),
            (ns, name, key) -> {
              throw new IOException("no secrets here");
            },
            resolver);
    JsonNode template =
        TaskSet.JSON.readTree(
            "{\"http\":{\"url\":\"http://rebind.test:"
                + port
                + path
                + "\",\"timeoutSeconds\":10}}");
    return templates.run("argo", template);
  }

  @Test
  void aNameThatRebindsAfterTheCheckIsConnectedToTheAddressThatWasChecked() throws Exception {
    AtomicInteger lookups = new AtomicInteger();

    NodeResult r = get("/hello", rebinding(lookups, LOOPBACK, METADATA));

    assertThat(r.phase()).as(r.message()).isEqualTo(NodeResult.Phase.Succeeded);
    assertThat(r.outputs().orElseThrow().path("result").asText())
        .isEqualTo("hello from the checked address");
    assertThat(lookups.get()).as("one lookup: no second answer to rebind with").isEqualTo(1);
    // the name, not the address, reaches the server
    assertThat(seen).containsExactly("rebind.test:" + port + " /hello");
  }

  @Test
  void aNameThatFirstAnswersTheMetadataAddressIsRefusedWithoutConnecting() throws Exception {
    AtomicInteger lookups = new AtomicInteger();

    NodeResult r = get("/hello", rebinding(lookups, METADATA, LOOPBACK));

    assertThat(r.phase()).isEqualTo(NodeResult.Phase.Failed);
    assertThat(r.message())
        .contains("refused")
        .contains("resolves to link-local or metadata address 169.254.169.254");
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(seen).isEmpty();
  }

  @Test
  void everyRedirectHopIsResolvedAndCheckedOnItsOwn() throws Exception {
    AtomicInteger lookups = new AtomicInteger();

    NodeResult r = get("/moved", rebinding(lookups, LOOPBACK, METADATA));

    assertThat(r.phase()).isEqualTo(NodeResult.Phase.Failed);
    assertThat(r.message())
        .contains("http://rebind.test:" + port + "/hello refused")
        .contains("resolves to link-local or metadata address 169.254.169.254");
    assertThat(lookups.get()).isEqualTo(2);
    assertThat(seen).containsExactly("rebind.test:" + port + " /moved");
  }
}
