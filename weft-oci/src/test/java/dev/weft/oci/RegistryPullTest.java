package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.runtime.ModuleFetchException;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft's registry client and module store against a real registry on 127.0.0.1. */
class RegistryPullTest {
  static final Path EXAMPLES = Path.of(System.getProperty("weft.examples", "../examples/modules")).toAbsolutePath();
  static LocalRegistry registry;
  static RegistryClient client;
  static byte[] hello;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.anonymous();
    client = RegistryClient.builder().insecure(registry.host()).build();
    hello = Files.readAllBytes(EXAMPLES.resolve("hello/hello.wasm"));
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  private static ImageRef ref(String repoAndTag) {
    return ImageRef.parse(registry.host() + "/" + repoAndTag);
  }

  private static void assertRuns(byte[] module) {
    TaskResult r = WeftRuntime.create().run(ModuleSource.bytes("hello.wasm", module), TaskSpec.builder().parameter("name", "OCI").build());
    assertThat(r.outputParameter("greeting")).contains("Hello, OCI!");
  }

  @Test
  void pushedModuleIsPulledByTagAndByDigestAndRuns() {
    Pushed pushed = client.push(hello, "hello.wasm", ref("weft/hello:1.0"), Map.of("org.opencontainers.image.source", "test"));

    Pulled byTag = client.pull(ref("weft/hello:1.0"));
    Pulled byDigest = client.pull(ImageRef.parse(registry.host() + "/weft/hello@" + pushed.manifestDigest()));
    assertThat(byTag.module()).isEqualTo(hello);
    assertThat(byDigest.module()).isEqualTo(hello);
    assertThat(byTag.manifestDigest()).isEqualTo(pushed.manifestDigest()).isEqualTo(client.resolve(ref("weft/hello:1.0")));
    assertThat(byTag.moduleDigest()).isEqualTo(pushed.moduleDigest()).isEqualTo(RegistryClient.sha256(hello));
    assertThat(byTag.mediaType()).isEqualTo("application/wasm");
    assertRuns(byTag.module());
  }

  @Test
  void theEarlierPluginsWasmToOciLayersArePulled() throws Exception {
    for (String type : List.of("application/vnd.wasm.content.layer.v1+wasm", "application/vnd.module.wasm.content.layer.v1+wasm")) {
      String repo = "legacy/" + (type.contains("module") ? "module" : "content");
      String config = registry.pushBlob(repo, "{}".getBytes());
      String layer = registry.pushBlob(repo, hello);
      registry.pushManifest(repo, "v1", RegistryClient.OCI_MANIFEST, "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
          + "\"config\":{\"mediaType\":\"application/vnd.wasm.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2},"
          + "\"layers\":[{\"mediaType\":\"" + type + "\",\"digest\":\"" + layer + "\",\"size\":" + hello.length + "}]}");

      Pulled p = client.pull(ref(repo + ":v1"));
      assertThat(p.module()).as(type).isEqualTo(hello);
      assertThat(p.mediaType()).isEqualTo(type);
    }
  }

  @Test
  void manifestWithoutAWasmLayerFailsListingWhatItHas() throws Exception {
    String config = registry.pushBlob("bad/nowasm", "{}".getBytes());
    String layer = registry.pushBlob("bad/nowasm", "just text".getBytes());
    registry.pushManifest("bad/nowasm", "v1", RegistryClient.OCI_MANIFEST, "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"application/x-unknown\",\"digest\":\"" + layer + "\",\"size\":9}]}");

    assertThatThrownBy(() -> client.pull(ref("bad/nowasm:v1")))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("no Wasm layer")
        .hasMessageContaining("application/x-unknown");
  }

  @Test
  void tamperedBlobFailsNamingBothDigests() throws Exception {
    // its own bytes: blobs are stored once per digest and shared by every repository
    byte[] own = java.util.Arrays.copyOf(hello, hello.length + 1);
    Pushed pushed = client.push(own, "own.wasm", ref("tamper/own:1"), Map.of());
    Files.write(registry.blobFile(pushed.moduleDigest()), "not the module".getBytes());

    assertThatThrownBy(() -> client.pull(ref("tamper/own:1")))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("digest mismatch")
        .hasMessageContaining(pushed.moduleDigest())
        .hasMessageContaining(RegistryClient.sha256("not the module".getBytes()));
  }

  @Test
  void missingTagIsNamed() {
    assertThatThrownBy(() -> client.pull(ref("weft/absent:nope")))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("weft/absent:nope")
        .hasMessageContaining("404");
  }

  @Test
  void concurrentFirstRequestsForOneModuleShareOnePull(@TempDir Path cache) throws Exception {
    client.push(hello, "hello.wasm", ref("coalesce/hello:1"), Map.of());
    ModuleStore store = new ModuleStore(cache, client, java.time.Duration.ofMinutes(1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<byte[]>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) all.add(pool.submit(() -> {
        go.await();
        return store.module(ref("coalesce/hello:1"));
      }));
      go.countDown();
      for (Future<byte[]> f : all) assertThat(f.get()).isEqualTo(hello);
      assertThat(store.pulls()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
