package dev.weft.oci;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the test classes that share one anonymous registry and one client per class. */
abstract class OnRegistry {
  static final Optional<String> NONE = Optional.empty();
  static final byte[] HELLO = WasmModules.hello();
  static RegistryServer registry;
  static RegistryClient client;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryServer.anonymous();
    client =
        RegistryClient.builder().insecure(registry.host()).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  static ImageRef ref(String repo, String tagOrDigest) {
    return ImageRef.parse(
        registry.host()
            + "/"
            + repo
            + (tagOrDigest.startsWith("sha256:") ? "@" : ":")
            + tagOrDigest);
  }
}
