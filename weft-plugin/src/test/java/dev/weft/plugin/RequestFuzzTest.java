package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated Argo requests to a real server: every reply is a node (200) or a 4xx naming the problem,
 * never a 500, and the server answers a plain hello after them.
 */
class RequestFuzzTest {
  static final String TOKEN = "request-fuzz-token";
  static PluginServer server;
  static PluginClient argo;
  private static final String VALID =
      PluginClient.step(
          "fuzz",
          "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
          "\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"x\"}]}");
  private static final String[] SNIPPETS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\u0000",
    "null",
    "1e999",
    "-",
    "\"module\":",
    "{\"file\":1}",
    "\"..\"",
    "\"/etc/passwd\"",
    "[[[[[[[[",
    "\"plugin\":",
    "\"wasm\":",
    "true",
    "\u0000",
    " ",
    "\"inputs\":{}",
    "\"args\":[{}]"
  };

  @BeforeContainer
  static void start() {
    server =
        PluginServer.start(
            ServerConfig.defaults(Optional.of(TOKEN)).withModuleDir(PluginClient.EXAMPLES));
    argo = new PluginClient(server, TOKEN);
  }

  @AfterContainer
  static void stop() throws Exception {
    PluginClient.Reply hello = argo.execute(VALID.replace("\"fuzz\"", "\"after-fuzz\""));
    server.close();
    assertThat(hello.phase()).as("a plain hello after the fuzzing").isEqualTo("Succeeded");
  }

  @Property(seed = "5107", tries = 150)
  void aMutatedRequestGetsANodeOrANamed4xx(@ForAll("mutations") String body) throws Exception {
    PluginClient.Reply r = argo.execute(body);

    assertThat(r.status()).as(body).isIn(Set.of(200, 400, 413, 415));
    if (r.status() != 200) assertThat(r.body().path("error").asText()).isNotBlank();
  }

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, VALID.length());
    Arbitrary<String> what = Arbitraries.of(SNIPPETS);
    Arbitrary<Integer> cut = Arbitraries.integers().between(0, 12);
    return net.jqwik.api.Combinators.combine(at, what, cut)
        .as(
            (i, s, c) -> {
              int end = Math.min(VALID.length(), i + c);
              return VALID.substring(0, i) + s + VALID.substring(end);
            });
  }
}
