package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.argo.CapabilityCeiling;
import dev.weft.runtime.capability.http.AllowedUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plugin.wasm.permissions through weft serve, within the operator's --allow-http and --secrets-dir.
 */
class CapabilitiesServeTest {
  static final String TOKEN = "capabilities-token";
  static PluginServer server;
  static PluginClient argo;
  static HttpServer backend;
  static String base;
  @TempDir static Path secrets;

  @BeforeAll
  static void start() throws IOException {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/hi",
        ex -> {
          byte[] b = "hi there".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    backend.start();
    base = "http://127.0.0.1:" + backend.getAddress().getPort();
    Files.createDirectories(secrets.resolve("db"));
    Files.writeString(secrets.resolve("db/DB_PASSWORD"), "serve-secret-123");
    server =
        PluginServer.start(
            ServerConfig.defaults(Optional.of(TOKEN))
                .withModuleDir(PluginClient.EXAMPLES)
                .withCapabilities(
                    new CapabilityCeiling(List.of(AllowedUrl.parse(base)), Optional.of(secrets))));
    argo = new PluginClient(server, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
    backend.stop(0);
  }

  private static String step(String uid, String permissions, String inputName, String inputValue) {
    return PluginClient.step(
        uid,
        "{\"module\":{\"file\":\"http-request/http-request.wasm\"}" + permissions + "}",
        "\"inputs\":{\"parameters\":[{\"name\":\""
            + inputName
            + "\",\"value\":\""
            + inputValue
            + "\"}]},"
            + "\"outputs\":{\"parameters\":[{\"name\":\"body\",\"valueFrom\":{\"default\":\"-\"}},{\"name\":\"env_value\",\"valueFrom\":{\"default\":\"-\"}}]}");
  }

  @Test
  void aStepGrantedHttpWithinTheCeilingReachesTheServer() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            step(
                "u-cap-ok",
                ",\"permissions\":{\"http\":{\"allowed_hosts\":[\"" + base + "\"]}}",
                "url",
                base + "/hi"));
    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
    assertThat(r.message()).isEqualTo("HTTP 200, 8 bytes");
    assertThat(r.body().at("/node/outputs/parameters/0/value").asText()).isEqualTo("hi there");
  }

  @Test
  void aStepWithoutPermissionsIsDeniedAndTheMessageNamesTheUrl() throws Exception {
    PluginClient.Reply r = argo.execute(step("u-cap-none", "", "url", base + "/hi"));
    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message()).contains("http: denied " + base + "/hi (no HTTP permission granted)");
  }

  @Test
  void aStepMayNotWidenTheOperatorsCeiling() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            step(
                "u-cap-wide",
                ",\"permissions\":{\"http\":{\"allowed_hosts\":[\"http://127.0.0.1:1\"]}}",
                "url",
                "http://127.0.0.1:1/"));
    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message())
        .contains("plugin.wasm.permissions.http.allowed_hosts[0]")
        .contains("'http://127.0.0.1:1' is not permitted by this server");
  }

  @Test
  void aNamedSecretBecomesTheModulesEnvironment() throws Exception {
    PluginClient.Reply granted =
        argo.execute(
            step("u-cap-secret", ",\"permissions\":{\"secrets\":[\"db\"]}", "env", "DB_PASSWORD"));
    assertThat(granted.phase()).as(granted.message()).isEqualTo("Succeeded");
    assertThat(granted.body().at("/node/outputs/parameters/1/value").asText())
        .isEqualTo("serve-secret-123");

    PluginClient.Reply missing =
        argo.execute(
            step(
                "u-cap-nosecret",
                ",\"permissions\":{\"secrets\":[\"other\"]}",
                "env",
                "DB_PASSWORD"));
    assertThat(missing.phase()).isEqualTo("Failed");
    assertThat(missing.message())
        .contains("plugin.wasm.permissions.secrets[0]")
        .contains("secret 'other' is not mounted");
  }
}
