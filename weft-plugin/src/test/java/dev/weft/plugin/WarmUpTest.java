package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm start's built-in modules, and the warm start's end when the server closes. */
class WarmUpTest {

  @Test
  void closingTheServerEndsItsWarmUpEarly() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    PluginServer server = PluginServer.start(ServerConfig.defaults(Optional.empty()).withPort(0));
    // this server's warm-up thread, not one of an earlier test's server
    Thread warming =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("weft-warm-up") && !before.contains(t))
            .findFirst()
            .orElseThrow();
    server.close();
    warming.join(Duration.ofSeconds(5).toMillis());
    assertThat(warming.isAlive()).as("warm-up still running 5 s after close").isFalse();
  }
}
