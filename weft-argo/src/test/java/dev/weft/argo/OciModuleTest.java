package dev.weft.argo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.oci.ImageRef;
import dev.weft.oci.RegistryServer;
import dev.weft.oci.Pushed;
import dev.weft.oci.RegistryClient;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code module: {oci: …}} steps, pulled from a real registry on 127.0.0.1. */
class OciModuleTest {
  @Test
  void stepsRunModulesFromARegistryByTagAndByDigest() throws Exception {
    try (RegistryServer registry = RegistryServer.anonymous()) {
      byte[] hello = Files.readAllBytes(PluginClient.EXAMPLES.resolve("hello/hello.wasm"));
      Pushed pushed = RegistryClient.builder().insecure(registry.host()).build()
          .push(hello, "hello.wasm", ImageRef.parse(registry.host() + "/steps/hello:1.0"), Map.of());
      ServerConfig config = ServerConfig.defaults(Optional.empty())
          .withRegistries(new ServerConfig.RegistrySettings(Set.of(registry.host()), Optional.empty(), java.time.Duration.ofMinutes(1)));
      try (PluginServer server = PluginServer.start(config)) {
        PluginClient argo = new PluginClient(server, null);
        String params = "\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"registry\"}]}";
        for (String ref : new String[] {registry.host() + "/steps/hello:1.0", registry.host() + "/steps/hello@" + pushed.manifestDigest()}) {
          PluginClient.Reply r = argo.execute(PluginClient.step("oci-" + ref.length(), "{\"module\":{\"oci\":\"" + ref + "\"}}", params));

          assertThat(r.phase()).as(ref + ": " + r.message()).isEqualTo("Succeeded");
          assertThat(r.body().at("/node/outputs/parameters/0/value").asText()).isEqualTo("Hello, registry!");
        }
      }
    }
  }
}
