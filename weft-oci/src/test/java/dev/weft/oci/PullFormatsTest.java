package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every accepted artifact layout, pushed independently of weft with {@link RawPush}, pulls back as
 * the exact module bytes, and those bytes run.
 */
class PullFormatsTest {
  private static final Optional<String> NONE = Optional.empty();
  private static final byte[] HELLO = WasmModules.hello();
  private static RegistryServer registry;
  private static RegistryClient client;

  /**
   * A layout: how to make its manifest, what the manifest is, which layer type carries the module.
   */
  enum Format {
    CNCF_WASM_ARTIFACT(RawPush.OCI_MANIFEST, RawPush.WASM_LAYER),
    WASM_TO_OCI(RawPush.OCI_MANIFEST, RawPush.WASM_CONTENT_LAYER),
    MODULE_WASM_CONTENT_LAYER(RawPush.OCI_MANIFEST, RawPush.MODULE_WASM_LAYER),
    INDEX_WITH_WASIP1_PLATFORM(RawPush.OCI_INDEX, RawPush.WASM_LAYER),
    INDEX_WITH_WASI_PLATFORM(RawPush.OCI_INDEX, RawPush.WASM_LAYER),
    IMAGE_WITH_TAR_GZIP_LAYER(RawPush.OCI_MANIFEST, RawPush.OCI_TAR_GZIP),
    IMAGE_WITH_PLAIN_TAR_LAYER(RawPush.OCI_MANIFEST, RawPush.OCI_TAR);

    final String manifestType;
    final String layerType;

    Format(String manifestType, String layerType) {
      this.manifestType = manifestType;
      this.layerType = layerType;
    }

    String repo() {
      return "formats/" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    byte[] manifest(RegistryServer r, byte[] module) {
      return switch (this) {
        case CNCF_WASM_ARTIFACT -> RawPush.cncfWasm(r, repo(), module, NONE);
        case WASM_TO_OCI -> RawPush.wasmToOci(r, repo(), module, NONE);
        case MODULE_WASM_CONTENT_LAYER -> RawPush.moduleWasmLayer(r, repo(), module, NONE);
        case INDEX_WITH_WASIP1_PLATFORM -> RawPush.indexWithWasm(r, repo(), module, "wasip1", NONE);
        case INDEX_WITH_WASI_PLATFORM -> RawPush.indexWithWasm(r, repo(), module, "wasi", NONE);
        case IMAGE_WITH_TAR_GZIP_LAYER -> RawPush.imageWithWasmInTar(r, repo(), module, true, NONE);
        case IMAGE_WITH_PLAIN_TAR_LAYER ->
            RawPush.imageWithWasmInTar(r, repo(), module, false, NONE);
      };
    }
  }

  @BeforeAll
  static void startRegistry() {
    registry = RegistryServer.anonymous();
    client =
        RegistryClient.builder()
            .insecure(registry.host())
            .timeout(java.time.Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static ImageRef ref(Format f, String tagOrDigest) {
    String sep = tagOrDigest.startsWith("sha256:") ? "@" : ":";
    return ImageRef.parse(registry.host() + "/" + f.repo() + sep + tagOrDigest);
  }

  /** The manifest the Wasm module is in: the pushed one, or for an index its Wasm entry. */
  private static String wasmManifestDigest(Format f, byte[] pushed) throws Exception {
    if (!f.manifestType.equals(RawPush.OCI_INDEX)) {
      return RawPush.sha256(pushed);
    }
    for (JsonNode m : RawPush.JSON.readTree(pushed).path("manifests")) {
      if (m.path("platform").path("architecture").asText().equals("wasm")) {
        return m.path("digest").asText();
      }
    }
    throw new AssertionError("no wasm entry in the test's own index");
  }

  @ParameterizedTest(name = "{0} pulls the exact module bytes and they run")
  @EnumSource(Format.class)
  void eachAcceptedLayoutPullsTheExactModuleBytesAndTheModuleRuns(Format f) throws Exception {
    byte[] manifest = f.manifest(registry, HELLO);
    String digest = RawPush.pushManifest(registry, f.repo(), "1.0", f.manifestType, manifest, NONE);

    Pulled pulled = client.pull(ref(f, "1.0"));

    assertThat(pulled.module()).isEqualTo(HELLO);
    assertThat(pulled.moduleDigest()).isEqualTo(RawPush.sha256(HELLO));
    assertThat(pulled.mediaType()).isEqualTo(f.layerType);
    assertThat(pulled.manifestDigest()).isIn(digest, wasmManifestDigest(f, manifest));
    WasmModules.assertGreets(pulled.module());
  }

  @ParameterizedTest(name = "{0}: tag and digest references give the same bytes")
  @EnumSource(Format.class)
  void aTagAndTheDigestItResolvesToGiveTheSameBytes(Format f) throws Exception {
    byte[] manifest = f.manifest(registry, HELLO);
    String digest =
        RawPush.pushManifest(registry, f.repo(), "pinned", f.manifestType, manifest, NONE);

    assertThat(client.resolve(ref(f, "pinned"))).isEqualTo(digest);
    Pulled byTag = client.pull(ref(f, "pinned"));
    Pulled byDigest = client.pull(ref(f, digest));
    assertThat(byDigest.module()).isEqualTo(byTag.module()).isEqualTo(HELLO);
    assertThat(byDigest.manifestDigest()).isEqualTo(byTag.manifestDigest());
    assertThat(byDigest.moduleDigest()).isEqualTo(byTag.moduleDigest());
  }

  @ParameterizedTest(name = "{0}: resolve follows a re-pointed tag")
  @EnumSource(
      value = Format.class,
      names = {"CNCF_WASM_ARTIFACT", "INDEX_WITH_WASIP1_PLATFORM"})
  void resolveReturnsTheDigestTheTagPointsToNowAfterItIsRePointed(Format f) {
    byte[] other = WasmModules.variant(HELLO, "repoint-" + f.name());
    String first =
        RawPush.pushManifest(
            registry, f.repo(), "moving", f.manifestType, f.manifest(registry, HELLO), NONE);
    assertThat(client.resolve(ref(f, "moving"))).isEqualTo(first);

    String second =
        RawPush.pushManifest(
            registry, f.repo(), "moving", f.manifestType, f.manifest(registry, other), NONE);
    assertThat(second).isNotEqualTo(first);
    assertThat(client.resolve(ref(f, "moving"))).isEqualTo(second);
    assertThat(client.pull(ref(f, "moving")).module()).isEqualTo(other);
  }
}
