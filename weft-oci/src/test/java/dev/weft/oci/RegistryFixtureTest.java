package dev.weft.oci;

import static dev.weft.oci.RawPush.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test fixtures on their own (no weft code): the registry starts, stops, restarts and enforces
 * htpasswd, and RawPush's content is stored and served back byte for byte.
 */
class RegistryFixtureTest {
  private static final Optional<String> NONE = Optional.empty();
  private static final byte[] MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};
  private static RegistryServer registry;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() {
    registry = RegistryServer.anonymous();
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  private static int status(RegistryServer r, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(r.uri(path)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static JsonNode manifest(String repo, String ref) throws IOException {
    HttpResponse<byte[]> r = RawPush.getManifest(registry, repo, ref, NONE);
    assertThat(r.statusCode()).as("GET manifest %s:%s", repo, ref).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void theRegistryListensOnLoopbackAndAnswersTheV2Ping() throws Exception {
    assertThat(registry.host()).isEqualTo("127.0.0.1:" + registry.port());
    assertThat(status(registry, "/v2/")).isEqualTo(200);
  }

  @Test
  void aStoppedRegistryRefusesConnectionsAndARestartedOneStillHasItsContent() throws Exception {
    try (RegistryServer r = RegistryServer.anonymous()) {
      String digest = RawPush.pushBlob(r, "fixture/restart", MODULE, NONE);
      r.stop();
      assertThat(r.running()).isFalse();
      assertThatThrownBy(() -> status(r, "/v2/")).isInstanceOf(ConnectException.class);
      r.restart();
      assertThat(r.running()).isTrue();
      HttpResponse<byte[]> blob = RawPush.getBlob(r, "fixture/restart", digest, NONE);
      assertThat(blob.statusCode()).isEqualTo(200);
      assertThat(blob.body()).isEqualTo(MODULE);
    }
  }

  @Test
  void closingTheRegistryDeletesItsStorage() {
    Path storage;
    try (RegistryServer r = RegistryServer.anonymous()) {
      storage = r.storageDir();
      RawPush.pushBlob(r, "fixture/gone", MODULE, NONE);
      assertThat(r.blobFile(RawPush.sha256(MODULE))).exists();
    }
    assertThat(storage).doesNotExist();
  }

  @Test
  void theBasicAuthRegistryRefusesAnonymousAndWrongPasswordsAndAcceptsTheRightOne()
      throws Exception {
    try (RegistryServer r = RegistryServer.withBasicAuth("alice", "s3cret")) {
      assertThat(status(r, "/v2/")).isEqualTo(401);
      assertThatThrownBy(
              () -> RawPush.pushBlob(r, "fixture/auth", MODULE, Optional.of("alice:wrong")))
          .hasMessageContaining("HTTP 401");
      String digest = RawPush.pushBlob(r, "fixture/auth", MODULE, Optional.of("alice:s3cret"));
      assertThat(RawPush.getBlob(r, "fixture/auth", digest, NONE).statusCode()).isEqualTo(401);
      assertThat(RawPush.getBlob(r, "fixture/auth", digest, Optional.of("alice:s3cret")).body())
          .isEqualTo(MODULE);
    }
  }

  @Test
  void aPushedBlobLandsInTheFilesystemLayoutTheTamperTestOverwrites() throws Exception {
    String digest =
        RawPush.pushBlob(
            registry, "fixture/layout", "layout".getBytes(StandardCharsets.UTF_8), NONE);
    assertThat(Files.readString(registry.blobFile(digest))).isEqualTo("layout");
  }

  @Test
  void theCncfArtifactIsStoredWithItsArtifactTypeConfigAndTitledWasmLayer() throws Exception {
    byte[] m = RawPush.cncfWasm(registry, "fixture/cncf", MODULE, NONE);
    String digest =
        RawPush.pushManifest(registry, "fixture/cncf", "1.0", RawPush.OCI_MANIFEST, m, NONE);
    HttpResponse<byte[]> raw = RawPush.getManifest(registry, "fixture/cncf", "1.0", NONE);
    assertThat(raw.body()).isEqualTo(m);
    assertThat(raw.headers().firstValue("Docker-Content-Digest")).contains(digest);
    JsonNode j = JSON.readTree(raw.body());
    assertThat(j.path("artifactType").asText()).isEqualTo(RawPush.WASM_CONFIG_V0);
    assertThat(j.path("config").path("mediaType").asText()).isEqualTo(RawPush.WASM_CONFIG_V0);
    JsonNode layer = j.path("layers").get(0);
    assertThat(layer.path("mediaType").asText()).isEqualTo("application/wasm");
    assertThat(layer.path("annotations").path("org.opencontainers.image.title").asText())
        .isEqualTo("module.wasm");
    assertThat(
            RawPush.getBlob(registry, "fixture/cncf", layer.path("digest").asText(), NONE).body())
        .isEqualTo(MODULE);
  }

  @Test
  void theOtherWasmLayerTypesAndTheUnknownOneAreAcceptedByTheRegistry() throws Exception {
    Map<String, byte[]> manifests = new LinkedHashMap<>();
    manifests.put(
        RawPush.WASM_CONTENT_LAYER, RawPush.wasmToOci(registry, "fixture/kinds", MODULE, NONE));
    manifests.put(
        RawPush.MODULE_WASM_LAYER,
        RawPush.moduleWasmLayer(registry, "fixture/kinds", MODULE, NONE));
    manifests.put(
        "application/x-unknown", RawPush.unknownLayerType(registry, "fixture/kinds", MODULE, NONE));
    manifests.put("text/plain", RawPush.textLayerOnly(registry, "fixture/kinds", NONE));
    int i = 0;
    for (Map.Entry<String, byte[]> e : manifests.entrySet()) {
      String tag = "t" + i++;
      RawPush.pushManifest(
          registry, "fixture/kinds", tag, RawPush.OCI_MANIFEST, e.getValue(), NONE);
      assertThat(manifest("fixture/kinds", tag).path("layers").get(0).path("mediaType").asText())
          .isEqualTo(e.getKey());
    }
    assertThat(manifest("fixture/kinds", "t0").path("config").path("mediaType").asText())
        .isEqualTo(RawPush.WASM_CONFIG_V1);
  }

  @Test
  void anIndexIsStoredWithItsPlatformsAndItsChildManifestsByDigest() throws Exception {
    byte[] idx = RawPush.indexWithWasm(registry, "fixture/index", MODULE, "wasip1", NONE);
    String digest =
        RawPush.pushManifest(registry, "fixture/index", "multi", RawPush.OCI_INDEX, idx, NONE);
    JsonNode j = manifest("fixture/index", digest);
    assertThat(j.path("mediaType").asText()).isEqualTo(RawPush.OCI_INDEX);
    JsonNode wasm = j.path("manifests").get(1);
    assertThat(wasm.path("platform").path("os").asText()).isEqualTo("wasip1");
    assertThat(wasm.path("platform").path("architecture").asText()).isEqualTo("wasm");
    assertThat(
            manifest("fixture/index", wasm.path("digest").asText()).path("artifactType").asText())
        .isEqualTo(RawPush.WASM_CONFIG_V0);
    JsonNode linux = j.path("manifests").get(0);
    assertThat(linux.path("platform").path("os").asText()).isEqualTo("linux");

    byte[] none = RawPush.indexWithoutWasm(registry, "fixture/index", NONE);
    RawPush.pushManifest(registry, "fixture/index", "linux-only", RawPush.OCI_INDEX, none, NONE);
    assertThat(manifest("fixture/index", "linux-only").path("manifests")).hasSize(2);
  }

  @Test
  void theHandWrittenTarIsReadByGnuTarWithTheRightNameAndBytes(@TempDir Path dir) throws Exception {
    byte[] data = new byte[1000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path tgz = dir.resolve("layer.tar.gz");
    Files.write(tgz, RawPush.gzip(RawPush.tar(Map.of("app/module.wasm", data))));
    Process p =
        new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tar output: %s", out).isZero();
    assertThat(out).isEmpty();
    assertThat(Files.readAllBytes(dir.resolve("app/module.wasm"))).isEqualTo(data);
  }

  @Test
  void theTarImagesAreStoredWithGzipAndPlainLayers() throws Exception {
    byte[] gz = RawPush.imageWithWasmInTar(registry, "fixture/tar", MODULE, true, NONE);
    byte[] plain = RawPush.imageWithWasmInTar(registry, "fixture/tar", MODULE, false, NONE);
    RawPush.pushManifest(registry, "fixture/tar", "gz", RawPush.OCI_MANIFEST, gz, NONE);
    RawPush.pushManifest(registry, "fixture/tar", "plain", RawPush.OCI_MANIFEST, plain, NONE);
    JsonNode g = manifest("fixture/tar", "gz").path("layers").get(0);
    JsonNode t = manifest("fixture/tar", "plain").path("layers").get(0);
    assertThat(g.path("mediaType").asText()).isEqualTo(RawPush.OCI_TAR_GZIP);
    assertThat(t.path("mediaType").asText()).isEqualTo(RawPush.OCI_TAR);
    byte[] tar = RawPush.getBlob(registry, "fixture/tar", t.path("digest").asText(), NONE).body();
    assertThat(
            RawPush.gunzip(
                RawPush.getBlob(registry, "fixture/tar", g.path("digest").asText(), NONE).body()))
        .isEqualTo(tar);
    assertThat(new String(tar, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("app/module.wasm");
    assertThat(tar.length % 512).isZero();
  }

  @Test
  void aMissingBinaryIsReportedWithTheInstallCommand() {
    // Can't uninstall here; check the message the fixture would give instead.
    assertThat(RegistryServer.BINARY).exists();
    assertThat(RegistryServer.missingBinaryMessage()).contains("apt-get install docker-registry");
  }
}
