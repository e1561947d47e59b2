package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.artifacts.ArtifactRepository.SecretRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores opened with credentials from a {@link SecretSource} (the pool reads them through the
 * Kubernetes API; here a map), against S3Proxy on 127.0.0.1.
 */
class RepositoryStoresTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  @TempDir Path tmp;
  final List<SecretRef> asked = new ArrayList<>();

  SecretSource source(Map<String, String> values) {
    return ref -> {
      asked.add(ref);
      String v = values.get(ref.name() + "/" + ref.key());
      if (v == null) throw new IOException("Secret " + ref.name() + " has no key " + ref.key());
      return v;
    };
  }

  ArtifactRepository repo(String extra) {
    return ArtifactRepository.parse(
        "s3: {endpoint: '127.0.0.1:"
            + S3.port()
            + "', bucket: "
            + S3Fixture.BUCKET
            + ", insecure: true, accessKeySecret: {name: cred, key: a}, secretKeySecret: {name: cred, key: s}"
            + extra
            + "}",
        Optional.empty());
  }

  @Test
  void theRepositorysSecretsComeFromTheSourceAndNotFromTheEnvironment() throws Exception {
    SecretSource secrets =
        source(Map.of("cred/a", S3Fixture.ACCESS_KEY, "cred/s", S3Fixture.SECRET_KEY));
    Optional<S3Credentials> ambient =
        Optional.of(new S3Credentials("wrong", "wrong-too", Optional.empty()));
    try (S3Store store = RepositoryStores.open(repo(""), secrets, ambient)) {
      store.put(ArchivesTest.write(tmp.resolve("f"), "via a secret source"), "wf/source");
    }
    assertThat(S3.exists("wf/source")).isTrue();
    assertThat(asked).containsExactly(new SecretRef("cred", "a"), new SecretRef("cred", "s"));
  }

  @Test
  void aMissingSecretKeyFailsNamingItAndNoValue() {
    SecretSource secrets = source(Map.of("cred/a", S3Fixture.ACCESS_KEY));
    assertThatThrownBy(() -> RepositoryStores.open(repo(""), secrets, Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cred")
        .hasMessageContaining("no key s")
        .hasMessageNotContaining(S3Fixture.ACCESS_KEY);
  }

  @Test
  void aCaSecretThatHoldsNoCertificateIsNamedWhenTheStoreIsOpened() throws Exception {
    SecretSource secrets =
        source(
            Map.of(
                "cred/a", S3Fixture.ACCESS_KEY,
                "cred/s", S3Fixture.SECRET_KEY,
                "ca/ca.crt", "not a certificate"));
    ArtifactRepository tls =
        ArtifactRepository.parse(
            "s3: {endpoint: '127.0.0.1:"
                + S3.port()
                + "', bucket: "
                + S3Fixture.BUCKET
                + ", accessKeySecret: {name: cred, key: a}, secretKeySecret: {name: cred, key: s},"
                + " caSecret: {name: ca, key: ca.crt}}",
            Optional.empty());
    assertThatThrownBy(() -> RepositoryStores.open(tls, secrets, Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Secret 'ca' key 'ca.crt' (s3.caSecret)")
        .hasMessageNotContaining(S3Fixture.SECRET_KEY);
  }
}
