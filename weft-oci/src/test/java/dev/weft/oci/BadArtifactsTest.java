package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.runtime.ModuleFetchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Artifacts weft must refuse, and content changed behind the registry's back. */
class BadArtifactsTest extends OnRegistry {

  private static ModuleFetchException pullFails(ImageRef ref) {
    ModuleFetchException e =
        catchThrowableOfType(ModuleFetchException.class, () -> client.pull(ref));
    assertThat(e).as("pulling %s should fail with a ModuleFetchException", ref).isNotNull();
    return e;
  }

  @Test
  void aManifestWhoseOnlyLayerIsTextFailsListingTheLayerTypesFound() {
    RawPush.pushManifest(
        registry,
        "bad/text",
        "1",
        RawPush.OCI_MANIFEST,
        RawPush.textLayerOnly(registry, "bad/text", NONE),
        NONE);

    ModuleFetchException e = pullFails(ref("bad/text", "1"));

    assertThat(e.getMessage()).containsIgnoringCase("no wasm layer").contains("text/plain");
  }

  @Test
  void aLayerWithAnUnknownMediaTypeIsNotTakenForTheModuleEvenWhenItHoldsWasm() {
    byte[] m = RawPush.unknownLayerType(registry, "bad/unknown", HELLO, NONE);
    RawPush.pushManifest(registry, "bad/unknown", "1", RawPush.OCI_MANIFEST, m, NONE);

    ModuleFetchException e = pullFails(ref("bad/unknown", "1"));

    assertThat(e.getMessage())
        .containsIgnoringCase("no wasm layer")
        .contains("application/x-unknown");
  }

  @Test
  void anImageWhoseTarLayerHoldsNoWasmFileFailsNamingTheLayer() throws Exception {
    byte[] m = RawPush.imageWithoutWasm(registry, "bad/nowasm-tar", NONE);
    RawPush.pushManifest(registry, "bad/nowasm-tar", "1", RawPush.OCI_MANIFEST, m, NONE);
    JsonNode layer = RawPush.JSON.readTree(m).path("layers").get(0);

    ModuleFetchException e = pullFails(ref("bad/nowasm-tar", "1"));

    assertThat(e.getMessage())
        .containsIgnoringCase("wasm")
        .containsAnyOf(layer.path("digest").asText(), layer.path("mediaType").asText());
  }

  @Test
  void anIndexWithoutAWasmPlatformFailsListingThePlatformsFound() {
    byte[] idx = RawPush.indexWithoutWasm(registry, "bad/index", NONE);
    RawPush.pushManifest(registry, "bad/index", "1", RawPush.OCI_INDEX, idx, NONE);

    ModuleFetchException e = pullFails(ref("bad/index", "1"));

    assertThat(e.getMessage())
        .containsIgnoringCase("wasm")
        .contains("linux/amd64")
        .contains("linux/arm64");
  }

  @Test
  void aLayerBlobChangedInTheRegistrysStorageFailsNamingBothDigests() throws Exception {
    byte[] module =
        WasmModules.variant(HELLO, "tampered-layer"); // its own blob: other tests keep theirs
    byte[] m = RawPush.cncfWasm(registry, "bad/tampered", module, NONE);
    RawPush.pushManifest(registry, "bad/tampered", "1", RawPush.OCI_MANIFEST, m, NONE);
    assertThat(client.pull(ref("bad/tampered", "1")).module()).isEqualTo(module);

    String expected = RawPush.sha256(module);
    byte[] changed = module.clone();
    changed[changed.length / 2] ^= 0x5a; // same size, different bytes
    Path data = registry.blobFile(expected);
    assertThat(data).exists();
    Files.write(data, changed);
    String got = RawPush.sha256(changed);

    ModuleFetchException e = pullFails(ref("bad/tampered", "1"));

    assertThat(e.getMessage()).contains(expected).contains(got);
  }

  @Test
  void aManifestChangedInTheRegistrysStorageFailsADigestPinnedPullNamingBothDigests()
      throws Exception {
    byte[] module = WasmModules.variant(HELLO, "tampered-manifest");
    byte[] m = RawPush.cncfWasm(registry, "bad/tampered-manifest", module, NONE);
    String digest =
        RawPush.pushManifest(registry, "bad/tampered-manifest", "1", RawPush.OCI_MANIFEST, m, NONE);
    // Still valid JSON with the same layers, so only the digest check can catch it.
    byte[] changed =
        (new String(m, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(registry.blobFile(digest), changed);

    ModuleFetchException e = pullFails(ref("bad/tampered-manifest", digest));

    assertThat(e.getMessage()).contains(digest).contains(RawPush.sha256(changed));
  }

  @Test
  void aTagThatDoesNotExistFailsNamingTheRepositoryAndTag() {
    RawPush.pushManifest(
        registry,
        "bad/missing",
        "present",
        RawPush.OCI_MANIFEST,
        RawPush.cncfWasm(registry, "bad/missing", HELLO, NONE),
        NONE);

    ModuleFetchException e = pullFails(ref("bad/missing", "absent"));

    assertThat(e.getMessage()).contains("bad/missing").contains("absent");
  }
}
