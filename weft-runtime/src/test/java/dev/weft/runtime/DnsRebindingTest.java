package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.runtime.capability.http.HostResolver;
import dev.weft.runtime.capability.http.HttpCapability;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP capability resolves a host once and connects to the address it checked: a name that
 * answers an allowed address and then (when a client would resolve it again to connect) a
 * link-local metadata address cannot steer the request there. The resolver is injected; the only
 * address ever connected to is 127.0.0.1.
 */
class DnsRebindingTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetAddress METADATA = address(169, 254, 169, 254);

  private static LoadedModule module;
  private static HttpServer server;
  private static int port;
  private static final List<String> hostHeaders = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws IOException {
    module = WEFT.load(ModuleSource.file(Examples.module("http-request")));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    port = server.getAddress().getPort();
    server.createContext(
        "/hello",
        ex -> {
          hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
          byte[] b = "hello from the checked address".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
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

  private static TaskResult get(HttpCapability http) {
    return WEFT.run(
        module,
        TaskSpec.builder()
            .parameter("url", "http://rebind.test:" + port + "/hello")
            .grant(http)
            .build());
  }

  @Test
  void aNameThatRebindsAfterTheCheckIsConnectedToTheAddressThatWasChecked() {
    AtomicInteger lookups = new AtomicInteger();
    HttpCapability http =
        HttpCapability.allowing(List.of("http://rebind.test:" + port), 8)
            .withResolver(rebinding(lookups, LOOPBACK, METADATA));
    hostHeaders.clear();

    TaskResult r = get(http);

    assertThat(r.succeeded()).as(r.message() + r.stderrTail()).isTrue();
    assertThat(r.outputParameter("body")).contains("hello from the checked address");
    assertThat(lookups.get()).as("one lookup: no second answer to rebind with").isEqualTo(1);
    // the name, not the address, reaches the server: virtual hosts and TLS (SNI) still work
    assertThat(hostHeaders).containsExactly("rebind.test:" + port);
  }

  @Test
  void aNameThatFirstAnswersTheMetadataAddressIsRefusedWithoutConnecting() {
    AtomicInteger lookups = new AtomicInteger();
    HttpCapability http =
        HttpCapability.allowing(List.of("http://rebind.test:" + port), 8)
            .withResolver(rebinding(lookups, METADATA, LOOPBACK));
    hostHeaders.clear();

    TaskResult r = get(http);

    assertThat(r.succeeded()).isFalse();
    assertThat(r.stderrTail()).contains("error 7");
    assertThat(r.message())
        .contains("resolves to link-local or metadata address 169.254.169.254")
        .contains("not named in the allow-list");
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(hostHeaders).isEmpty();
  }

  @Test
  void everyRedirectHopIsResolvedAndCheckedOnItsOwn() {
    // the first request is served; a second one (as a redirect hop would make) sees the rebinding
    AtomicInteger lookups = new AtomicInteger();
    HttpCapability http =
        HttpCapability.allowing(List.of("http://rebind.test:" + port), 8)
            .withResolver(rebinding(lookups, LOOPBACK, METADATA));
    hostHeaders.clear();

    TaskResult two =
        WEFT.run(
            module,
            TaskSpec.builder()
                .parameter("url", "http://rebind.test:" + port + "/hello")
                .parameter("repeat", "2")
                .grant(http)
                .build());

    assertThat(two.succeeded()).isFalse();
    assertThat(two.message())
        .contains("resolves to link-local or metadata address 169.254.169.254");
    assertThat(hostHeaders).hasSize(1);
    assertThat(lookups.get()).isEqualTo(2);
  }
}
