package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.shaded.org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https endpoint with its own CA: trusted through caCertificates (Argo's caSecret), refused
 * otherwise.
 */
class S3TlsTest {
  @TempDir Path tmp;

  @Test
  void anHttpsEndpointIsTrustedThroughItsCaFileOnly() throws Exception {
    Path ks = tmp.resolve("s3proxy.jks");
    Path ca = tmp.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "s3proxy",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-keystore",
        ks.toString(),
        "-storepass",
        "password",
        "-keypass",
        "password",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "s3proxy",
        "-keystore",
        ks.toString(),
        "-storepass",
        "password",
        "-file",
        ca.toString());

    Properties props = new Properties();
    props.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(tmp.resolve("blobs")).toString());
    props.setProperty("jclouds.identity", S3Fixture.ACCESS_KEY);
    props.setProperty("jclouds.credential", S3Fixture.SECRET_KEY);
    BlobStore blobs = BlobStores.create("filesystem", props);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .secureEndpoint(URI.create("https://127.0.0.1:0"))
            .keyStore(ks.toString(), "password")
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, S3Fixture.ACCESS_KEY, S3Fixture.SECRET_KEY)
            .stopTimeout(0)
            .build();
    proxy.start();
    try {
      while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) Thread.sleep(10);
      URI endpoint = URI.create("https://127.0.0.1:" + proxy.getSecurePort());
      S3Credentials creds =
          new S3Credentials(S3Fixture.ACCESS_KEY, S3Fixture.SECRET_KEY, Optional.empty());
      Files.createDirectories(
          tmp.resolve(
              "blobs/" + S3Fixture.BUCKET)); // the bucket, as the file-system store keeps it
      Path file = Files.writeString(tmp.resolve("f.txt"), "over tls");

      try (S3Store trusted =
          S3Store.builder()
              .endpoint(endpoint)
              .bucket(S3Fixture.BUCKET)
              .credentials(creds)
              .caCertificates(ca)
              .build()) {
        trusted.put(file, "wf/tls.txt");
        trusted.get("wf/tls.txt", tmp.resolve("back.txt"));
      }
      assertThat(tmp.resolve("back.txt")).hasContent("over tls");

      try (S3Store untrusted =
          S3Store.builder()
              .endpoint(endpoint)
              .bucket(S3Fixture.BUCKET)
              .credentials(creds)
              .build()) {
        assertThatThrownBy(() -> untrusted.put(file, "wf/tls-2.txt"))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("'wf/tls-2.txt'")
            .hasMessageContaining(endpoint.toString());
      }
    } finally {
      proxy.stop();
      blobs.close();
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
