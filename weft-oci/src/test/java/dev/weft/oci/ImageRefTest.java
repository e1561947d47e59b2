package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageRefTest {
  @Test
  void referencesParseAsDockerAndOciToolsRead() {
    ImageRef a = ImageRef.parse("127.0.0.1:5000/acme/hello:1.0");
    assertThat(a.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(a.repository()).isEqualTo("acme/hello");
    assertThat(a.tag()).contains("1.0");
    String hex = "a".repeat(64);
    ImageRef b = ImageRef.parse("ghcr.io/shark/mod@sha256:" + hex);
    assertThat(b.digest()).contains("sha256:" + hex);
    assertThat(b.tag()).isEmpty();
    ImageRef c = ImageRef.parse("busybox");
    assertThat(c.name()).isEqualTo("docker.io/library/busybox");
    assertThat(c.tag()).contains("latest");
    assertThat(ImageRef.parse("localhost/x:y").registry()).isEqualTo("localhost");
  }

  @Test
  void badReferencesAreRefusedNamingThePart() {
    assertThatThrownBy(() -> ImageRef.parse("ghcr.io/x@sha256:short"))
        .hasMessageContaining("digest");
    assertThatThrownBy(() -> ImageRef.parse("ghcr.io/Upper/case"))
        .hasMessageContaining("repository");
    assertThatThrownBy(() -> ImageRef.parse("ghcr.io/x:bad tag")).hasMessageContaining("tag");
    assertThatThrownBy(() -> ImageRef.parse(" ")).hasMessageContaining("empty");
  }
}
