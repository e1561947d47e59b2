package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.runtime.ModuleFetchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module store when the registry is down, and registries that want credentials. */
class RegistryDownAndAuthTest {
  private static final byte[] HELLO;

  static {
    try {
      HELLO = Files.readAllBytes(RegistryPullTest.EXAMPLES.resolve("hello/hello.wasm"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void cachedDigestPinnedModuleRunsWhileTheRegistryIsDownAndAColdCacheFailsClearly(@TempDir Path warm, @TempDir Path cold) throws Exception {
    try (LocalRegistry registry = LocalRegistry.anonymous()) {
      RegistryClient client = RegistryClient.builder().insecure(registry.host()).build();
      Pushed p = client.push(HELLO, "hello.wasm", ImageRef.parse(registry.host() + "/down/hello:1"), Map.of());
      ImageRef pinned = ImageRef.parse(registry.host() + "/down/hello@" + p.manifestDigest());
      new ModuleStore(warm, client, Duration.ofMinutes(1)).module(pinned);
      registry.stop();

      ModuleStore restarted = new ModuleStore(warm, client, Duration.ofMinutes(1)); // a new process, same cache
      assertThat(restarted.module(pinned)).isEqualTo(HELLO);
      assertThat(restarted.pulls()).isZero();
      assertThatThrownBy(() -> new ModuleStore(cold, client, Duration.ofMinutes(1)).module(pinned))
          .isInstanceOf(ModuleFetchException.class)
          .hasMessageContaining("cannot reach registry " + registry.host());
    }
  }

  @Test
  void tagIsResolvedAgainOnlyAfterItsTtl(@TempDir Path cache) throws Exception {
    try (LocalRegistry registry = LocalRegistry.anonymous()) {
      RegistryClient client = RegistryClient.builder().insecure(registry.host()).build();
      ImageRef tag = ImageRef.parse(registry.host() + "/ttl/mod:latest");
      byte[] other = Files.readAllBytes(RegistryPullTest.EXAMPLES.resolve("wc/wc.wasm"));
      client.push(HELLO, "hello.wasm", tag, Map.of());
      ModuleStore store = new ModuleStore(cache, client, Duration.ofMillis(300));
      assertThat(store.module(tag)).isEqualTo(HELLO);

      client.push(other, "wc.wasm", tag, Map.of()); // the tag moves
      assertThat(store.module(tag)).as("within the TTL").isEqualTo(HELLO);
      Thread.sleep(400);
      assertThat(store.module(tag)).as("after the TTL").isEqualTo(other);
    }
  }

  @Test
  void basicAuthRegistryNeedsCredentialsFromFlagsOrDockerConfig(@TempDir Path tmp) throws Exception {
    try (LocalRegistry registry = LocalRegistry.withBasicAuth("weft", "s3cret")) {
      ImageRef ref = ImageRef.parse(registry.host() + "/private/hello:1");
      RegistryClient withCreds = RegistryClient.builder().insecure(registry.host()).credentials(Credentials.basic(registry.host(), "weft", "s3cret")).build();
      withCreds.push(HELLO, "hello.wasm", ref, Map.of());
      assertThat(withCreds.pull(ref).module()).isEqualTo(HELLO);

      Path config = Files.writeString(tmp.resolve("config.json"), "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
          + Base64.getEncoder().encodeToString("weft:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
      RegistryClient fromConfig = RegistryClient.builder().insecure(registry.host()).credentials(Credentials.fromDockerConfig(config)).build();
      assertThat(fromConfig.pull(ref).module()).isEqualTo(HELLO);

      assertThatThrownBy(() -> RegistryClient.builder().insecure(registry.host()).build().pull(ref))
          .isInstanceOf(ModuleFetchException.class)
          .hasMessageContaining(registry.host()).hasMessageContaining("requires credentials");
      RegistryClient wrong = RegistryClient.builder().insecure(registry.host()).credentials(Credentials.basic(registry.host(), "weft", "nope")).build();
      assertThatThrownBy(() -> wrong.pull(ref))
          .isInstanceOf(ModuleFetchException.class)
          .hasMessageContaining(registry.host()).hasMessageContaining("refused the credentials");
    }
  }
}
