package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistryClient#push} writes the CNCF Wasm artifact layout, checked raw, and pulls back.
 */
class PushTest extends OnRegistry {

  @Test
  void aPushedModuleIsStoredInTheCncfWasmArtifactLayout() throws Exception {
    ImageRef ref = ImageRef.parse(registry.host() + "/push/layout:1.0");
    Pushed pushed =
        client.push(
            HELLO,
            "hello.wasm",
            ref,
            Map.of("org.opencontainers.image.source", "https://example.org/hello"));

    HttpResponse<byte[]> raw = RawPush.getManifest(registry, "push/layout", "1.0", NONE);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(RawPush.sha256(raw.body())).isEqualTo(pushed.manifestDigest());
    JsonNode m = RawPush.JSON.readTree(raw.body());
    assertThat(m.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(m.path("mediaType").asText()).isEqualTo(RawPush.OCI_MANIFEST);
    assertThat(m.path("artifactType").asText()).isEqualTo(RawPush.WASM_CONFIG_V0);
    assertThat(m.path("config").path("mediaType").asText()).isEqualTo(RawPush.WASM_CONFIG_V0);
    assertThat(m.path("layers")).hasSize(1);
    JsonNode layer = m.path("layers").get(0);
    assertThat(layer.path("mediaType").asText()).isEqualTo(RawPush.WASM_LAYER);
    assertThat(layer.path("digest").asText())
        .isEqualTo(pushed.moduleDigest())
        .isEqualTo(RawPush.sha256(HELLO));
    assertThat(layer.path("size").asLong()).isEqualTo(HELLO.length);
    assertThat(layer.path("annotations").path(RawPush.TITLE).asText()).isEqualTo("hello.wasm");
    assertThat(m.path("annotations").path("org.opencontainers.image.source").asText())
        .isEqualTo("https://example.org/hello");

    JsonNode config = m.path("config");
    HttpResponse<byte[]> configBlob =
        RawPush.getBlob(registry, "push/layout", config.path("digest").asText(), NONE);
    assertThat(configBlob.statusCode()).isEqualTo(200);
    assertThat(RawPush.sha256(configBlob.body())).isEqualTo(config.path("digest").asText());
    assertThat((long) configBlob.body().length).isEqualTo(config.path("size").asLong());
    RawPush.JSON.readTree(configBlob.body()); // the config blob is JSON
    assertThat(RawPush.getBlob(registry, "push/layout", pushed.moduleDigest(), NONE).body())
        .isEqualTo(HELLO);
  }

  @Test
  void aPushedModulePullsBackByTagAndByDigestAndRuns() {
    ImageRef tag = ImageRef.parse(registry.host() + "/push/roundtrip:v1");
    Pushed pushed = client.push(HELLO, "hello.wasm", tag, Map.of());

    assertThat(client.resolve(tag)).isEqualTo(pushed.manifestDigest());
    Pulled byTag = client.pull(tag);
    Pulled byDigest =
        client.pull(ImageRef.parse(registry.host() + "/push/roundtrip@" + pushed.manifestDigest()));
    for (Pulled p : new Pulled[] {byTag, byDigest}) {
      assertThat(p.module()).isEqualTo(HELLO);
      assertThat(p.manifestDigest()).isEqualTo(pushed.manifestDigest());
      assertThat(p.moduleDigest()).isEqualTo(pushed.moduleDigest());
      assertThat(p.mediaType()).isEqualTo(RawPush.WASM_LAYER);
    }
    WasmModules.assertGreets(byDigest.module());
  }

  @Test
  void pushingNewContentToATagRePointsItAndKeepsTheOldDigestPullable() {
    ImageRef tag = ImageRef.parse(registry.host() + "/push/retag:latest");
    byte[] other = WasmModules.variant(HELLO, "retag");
    Pushed first = client.push(HELLO, "hello.wasm", tag, Map.of());
    Pushed second = client.push(other, "hello.wasm", tag, Map.of());

    assertThat(second.manifestDigest()).isNotEqualTo(first.manifestDigest());
    assertThat(client.resolve(tag)).isEqualTo(second.manifestDigest());
    assertThat(client.pull(tag).module()).isEqualTo(other);
    assertThat(
            client
                .pull(ImageRef.parse(registry.host() + "/push/retag@" + first.manifestDigest()))
                .module())
        .isEqualTo(HELLO);
  }
}
