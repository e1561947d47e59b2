package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.oci.ImageRef;
import dev.weft.oci.Pushed;
import dev.weft.oci.RegistryClient;
import dev.weft.oci.RegistryServer;
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
      Pushed pushed =
          RegistryClient.builder()
              .insecure(registry.host())
              .build()
              .push(
                  hello,
                  "hello.wasm",
                  ImageRef.parse(registry.host() + "/steps/hello:1.0"),
                  Map.of());
      ServerConfig config =
          ServerConfig.defaults(Optional.empty())
              .withRegistries(
                  new dev.weft.argo.RegistrySettings(
                      Set.of(registry.host()), Optional.empty(), java.time.Duration.ofMinutes(1)));
      try (PluginServer server = PluginServer.start(config)) {
        PluginClient argo = new PluginClient(server, null);
        String params = "\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"registry\"}]}";
        for (String ref :
            new String[] {
              registry.host() + "/steps/hello:1.0",
              registry.host() + "/steps/hello@" + pushed.manifestDigest()
            }) {
          PluginClient.Reply r =
              argo.execute(
                  PluginClient.step(
                      "oci-" + ref.length(), "{\"module\":{\"oci\":\"" + ref + "\"}}", params));

          assertThat(r.phase()).as(ref + ": " + r.message()).isEqualTo("Succeeded");
          assertThat(r.body().at("/node/outputs/parameters/0/value").asText())
              .isEqualTo("Hello, registry!");
        }
      }
    }
  }

  @Test
  void aRestartedServerServesTheModulesItHadPulledFromMemoryWithTheRegistryDown(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path cache) throws Exception {
    String params = "\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"again\"}]}";
    String pinned;
    ServerConfig config;
    try (RegistryServer registry = RegistryServer.anonymous()) {
      byte[] hello = Files.readAllBytes(PluginClient.EXAMPLES.resolve("hello/hello.wasm"));
      Pushed pushed =
          RegistryClient.builder()
              .insecure(registry.host())
              .build()
              .push(
                  hello,
                  "hello.wasm",
                  ImageRef.parse(registry.host() + "/steps/restart:1.0"),
                  Map.of());
      pinned = registry.host() + "/steps/restart@" + pushed.manifestDigest();
      config =
          ServerConfig.defaults(Optional.empty())
              .withCacheDir(cache)
              .withRegistries(
                  new dev.weft.argo.RegistrySettings(
                      Set.of(registry.host()), Optional.empty(), java.time.Duration.ofMinutes(1)));
      try (PluginServer server = PluginServer.start(config)) {
        PluginClient.Reply r =
            new PluginClient(server, null)
                .execute(
                    PluginClient.step(
                        "before", "{\"module\":{\"oci\":\"" + pinned + "\"}}", params));
        assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
      }
    }
    // the registry is gone; the restarted server restores the module during its warm start
    try (PluginServer restarted = PluginServer.start(config)) {
      PluginClient argo = new PluginClient(restarted, null);
      long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      while (argo.get("/readyz").statusCode() != 200 && System.nanoTime() < until) Thread.sleep(20);
      assertThat(argo.get("/readyz").statusCode()).isEqualTo(200);
      // ...into memory: with the cached files gone too, the step is still served
      try (var files = Files.walk(cache.resolve("modules"))) {
        for (java.nio.file.Path f : files.filter(Files::isRegularFile).toList()) Files.delete(f);
      }
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step("after", "{\"module\":{\"oci\":\"" + pinned + "\"}}", params));

      assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
      assertThat(r.body().at("/node/outputs/parameters/0/value").asText())
          .isEqualTo("Hello, again!");
    }
  }
}
