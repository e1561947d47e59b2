package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class S3StoreTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  @TempDir Path tmp;

  @Test
  void aServerThatIsNotS3GetsAClearErrorNotACrash() throws Exception {
    // Answers every request 200 with no body and no length, as a plain web server might.
    com.sun.net.httpserver.HttpServer plain =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    plain.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    plain.start();
    try (S3Store store =
        S3Store.builder()
            .endpoint(URI.create("http://127.0.0.1:" + plain.getAddress().getPort()))
            .bucket("art")
            .credentials(S3.credentials())
            .build()) {
      assertThatThrownBy(() -> store.size("wf/k.tgz"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("'wf/k.tgz'")
          .hasMessageContaining("without a Content-Length");
    } finally {
      plain.stop(0);
    }
  }

  @Test
  void storesAndReturnsAFile() throws Exception {
    try (S3Store store = S3.store()) {
      store.put(ArchivesTest.write(tmp.resolve("a.txt"), "hello"), "wf/pod-1/a.txt");
      store.get("wf/pod-1/a.txt", tmp.resolve("back/a.txt"));
      assertThat(tmp.resolve("back/a.txt")).hasContent("hello");
      assertThat(store.describe())
          .isEqualTo("s3://" + S3Fixture.BUCKET + " at " + S3.uri())
          .doesNotContain(S3Fixture.ACCESS_KEY)
          .doesNotContain(S3Fixture.SECRET_KEY);
    }
  }

  @Test
  void aDirectoryIsStoredAsObjectsUnderTheKeyPrefix() throws Exception {
    ArchivesTest.write(tmp.resolve("out/a.txt"), "A");
    ArchivesTest.write(tmp.resolve("out/sub/b.txt"), "B");
    try (S3Store store = S3.store()) {
      store.put(tmp.resolve("out"), "wf/pod-2/out");
      assertThat(S3.exists("wf/pod-2/out/a.txt")).isTrue();
      assertThat(S3.exists("wf/pod-2/out/sub/b.txt")).isTrue();
      assertThat(store.totalSize("wf/pod-2/out")).isEqualTo(2);
      assertThat(store.totalSize("wf/pod-2/out/a.txt")).isEqualTo(1);
      store.get("wf/pod-2/out", tmp.resolve("back"));
    }
    assertThat(tmp.resolve("back/a.txt")).hasContent("A");
    assertThat(tmp.resolve("back/sub/b.txt")).hasContent("B");
  }

  @Test
  void aMissingObjectIsNamedWithTheStore() {
    try (S3Store store = S3.store()) {
      assertThatThrownBy(() -> store.get("wf/missing.tgz", tmp.resolve("x")))
          .isInstanceOf(ArtifactNotFoundException.class)
          .hasMessageContaining("'wf/missing.tgz'")
          .hasMessageContaining("s3://" + S3Fixture.BUCKET);
      assertThat(tmp.resolve("x")).doesNotExist();
    }
  }

  @Test
  void largeFilesGoUpInPartsAndComeBackWhole() throws Exception {
    Path big = randomFile(tmp.resolve("big.bin"), 12 << 20, 1);
    try (S3Store store = S3.storeBuilder().multipart(5 << 20, 5 << 20).build()) {
      store.put(big, "wf/pod-3/big.bin");
      store.get("wf/pod-3/big.bin", tmp.resolve("big.back"));
    }
    assertThat(Files.mismatch(big, tmp.resolve("big.back"))).isEqualTo(-1);
    assertThat(S3.client().listMultipartUploads(r -> r.bucket(S3Fixture.BUCKET)).uploads())
        .isEmpty();
  }

  @Test
  void whenS3GoesDownMidUploadNoPartialObjectIsVisible() throws Exception {
    Path big = randomFile(tmp.resolve("big.bin"), 12 << 20, 2);
    Path small = randomFile(tmp.resolve("small.bin"), 3 << 20, 3);
    for (Path file : new Path[] {big, small}) {
      String key = "wf/pod-4/" + file.getFileName();
      try (CuttingProxy cut =
              new CuttingProxy(
                  S3.port(), 7 << 20 > Files.size(file) ? Files.size(file) / 2 : 7 << 20);
          S3Store store =
              S3.storeBuilder()
                  .endpoint(URI.create("http://127.0.0.1:" + cut.port()))
                  .multipart(5 << 20, 5 << 20)
                  .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                  .build()) {
        assertThatThrownBy(() -> store.put(file, key))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("'" + key + "'")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(S3Fixture.SECRET_KEY));
        assertThat(cut.wentDown()).isTrue();
      }
      assertThat(S3.exists(key)).as(key).isFalse();
    }
  }

  @Test
  void rangeReadsReturnJustTheRange() throws Exception {
    Path f = randomFile(tmp.resolve("r.bin"), 100_000, 4);
    byte[] all = Files.readAllBytes(f);
    try (S3Store store = S3.store()) {
      store.put(f, "wf/r.bin");
      assertThat(store.size("wf/r.bin")).isEqualTo(100_000);
      try (InputStream in = store.read("wf/r.bin", 70_000, 10)) {
        assertThat(in.readAllBytes())
            .containsExactly(java.util.Arrays.copyOfRange(all, 70_000, 70_010));
      }
      assertThatThrownBy(() -> store.size("wf/none")).isInstanceOf(ArtifactNotFoundException.class);
    }
  }

  @Test
  void wrongCredentialsFailWithoutShowingThem() throws Exception {
    S3Credentials wrong =
        new S3Credentials(S3Fixture.ACCESS_KEY, "not-the-secret-QQ7", Optional.empty());
    try (S3Store store =
        S3Store.builder().endpoint(S3.uri()).bucket(S3Fixture.BUCKET).credentials(wrong).build()) {
      assertThatThrownBy(() -> store.put(ArchivesTest.write(tmp.resolve("a"), "a"), "wf/denied"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 403")
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .doesNotContain("not-the-secret-QQ7")
                      .doesNotContain(S3Fixture.ACCESS_KEY));
    }
    assertThat(wrong.toString()).doesNotContain("not-the-secret");
  }

  static Path randomFile(Path p, int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Files.write(p, b);
  }
}
