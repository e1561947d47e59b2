package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.argo.ArtifactSettings;
import dev.weft.artifacts.Archives;
import dev.weft.artifacts.ArtifactRepository;
import dev.weft.artifacts.S3Fixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Argo's artifacts through {@code weft serve}: a real S3 API (S3Proxy) as the repository, a real
 * HTTP server for {@code http:} artifacts, archives made by GNU tar and zip as Argo makes them.
 */
class ArtifactsServeTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  static PluginServer server;
  static PluginClient argo;
  static HttpServer web;
  static Path secrets;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/files/hello.txt",
        ex -> {
          byte[] b = "hello from http\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    web.createContext(
        "/files/away",
        ex -> {
          ex.getResponseHeaders()
              .add(
                  "Location",
                  "http://127.0.0.2:" + web.getAddress().getPort() + "/files/hello.txt");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    web.start();
    // Secrets mounted as Kubernetes does: one directory per Secret, one file per key.
    secrets = Files.createTempDirectory("weft-secrets-");
    Files.createDirectories(secrets.resolve("cred"));
    Files.writeString(secrets.resolve("cred/a"), S3Fixture.ACCESS_KEY);
    Files.writeString(secrets.resolve("cred/s"), "wrong-secret-ZZ81");
    Files.createDirectories(secrets.resolve("good"));
    Files.writeString(secrets.resolve("good/a"), S3Fixture.ACCESS_KEY);
    Files.writeString(secrets.resolve("good/s"), S3Fixture.SECRET_KEY + "\n");
    // The repository as Argo's quick-start ConfigMap describes it, pointed at S3Proxy.
    ArtifactRepository repo =
        ArtifactRepository.parse(
            """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: artifact-repositories
          annotations: {workflows.argoproj.io/default-artifact-repository: default-v1}
        data:
          default-v1: |
            s3:
              bucket: %s
              endpoint: 127.0.0.1:%d
              insecure: true
        """
                .formatted(S3Fixture.BUCKET, S3.port()),
            Optional.empty());
    ArtifactSettings artifacts =
        ArtifactSettings.none()
            .withRepository(
                repo,
                Optional.of(secrets),
                Map.of(
                    "AWS_ACCESS_KEY_ID",
                    S3Fixture.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY",
                    S3Fixture.SECRET_KEY))
            .withAllowedUrls(List.of("http://127.0.0.1:" + web.getAddress().getPort() + "/files/"));
    server =
        PluginServer.start(
            ServerConfig.defaults(Optional.empty())
                .withModuleDir(PluginClient.EXAMPLES)
                .withArtifacts(artifacts));
    argo = new PluginClient(server, null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    web.stop(0);
    try (var files = Files.walk(secrets)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static String wc(String uid, String args, String templateExtras) {
    return PluginClient.step(
        uid, "{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":" + args + "}", templateExtras);
  }

  private void put(String key, Path file) {
    S3.client().putObject(r -> r.bucket(S3Fixture.BUCKET).key(key), RequestBody.fromFile(file));
  }

  private Path get(String key) throws Exception {
    Path p = tmp.resolve("got-" + key.replace('/', '_'));
    Files.write(
        p, S3.client().getObjectAsBytes(r -> r.bucket(S3Fixture.BUCKET).key(key)).asByteArray());
    return p;
  }

  private void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void aKeyOnlyTgzInputIsUnpackedToItsDeclaredPath() throws Exception {
    Files.createDirectories(tmp.resolve("src"));
    Files.writeString(tmp.resolve("src/hello_world.txt"), "hello world from argo\n");
    run(
        tmp.resolve("src"),
        "tar",
        "czf",
        tmp.resolve("hello-art.tgz").toString(),
        "hello_world.txt");
    put("wf-in/wf-in-gen-123/hello-art.tgz", tmp.resolve("hello-art.tgz"));

    PluginClient.Reply r =
        argo.execute(
            wc(
                "u-tgz",
                "[\"/tmp/message\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"message\",\"path\":\"/tmp/message\",\"s3\":{\"key\":\"wf-in/wf-in-gen-123/hello-art.tgz\"}}]}"));

    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
    assertThat(r.body().at("/node/outputs/result").asText()).isEqualTo("1 4 22");
  }

  @Test
  void aDirectoryTgzAZipAndAKeyPrefixAllBecomeDirectories() throws Exception {
    Files.createDirectories(tmp.resolve("src/data/sub"));
    Files.writeString(tmp.resolve("src/data/sub/f.txt"), "a b c\n");
    run(tmp.resolve("src"), "tar", "czf", tmp.resolve("data.tgz").toString(), "data");
    run(tmp.resolve("src"), "zip", "-qr", tmp.resolve("data.zip").toString(), "data");
    put("in/data.tgz", tmp.resolve("data.tgz"));
    put("in/data.zip", tmp.resolve("data.zip"));
    put("in/prefix/sub/f.txt", tmp.resolve("src/data/sub/f.txt"));

    for (String location :
        List.of(
            "\"s3\":{\"key\":\"in/data.tgz\"}",
            "\"s3\":{\"key\":\"in/data.zip\"},\"archive\":{\"zip\":{}}",
            "\"s3\":{\"key\":\"in/prefix\"},\"archive\":{\"none\":{}}")) {
      PluginClient.Reply r =
          argo.execute(
              wc(
                  "u-dir-" + location.hashCode(),
                  "[\"/in/data/sub/f.txt\"]",
                  "\"inputs\":{\"artifacts\":[{\"name\":\"data\",\"path\":\"/in/data\","
                      + location
                      + "}]}"));
      assertThat(r.phase()).as(location + ": " + r.message()).isEqualTo("Succeeded");
      assertThat(r.body().at("/node/outputs/result").asText()).as(location).isEqualTo("1 3 6");
    }
  }

  @Test
  void archiveNoneKeepsATgzAsIs() throws Exception {
    Files.writeString(tmp.resolve("x.txt"), "x");
    Archives.tgz(tmp.resolve("x.txt"), tmp.resolve("x.tgz"));
    put("in/raw.tgz", tmp.resolve("x.tgz"));
    PluginClient.Reply r =
        argo.execute(
            wc(
                "u-none",
                "[\"/in/raw.tgz\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"raw\",\"path\":\"/in/raw.tgz\",\"s3\":{\"key\":\"in/raw.tgz\"},\"archive\":{\"none\":{}}}]}"));
    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
    assertThat(r.body().at("/node/outputs/result").asText())
        .endsWith(" " + Files.size(tmp.resolve("x.tgz")));
  }

  @Test
  void aFullS3LocationOnTheRepositoryServerUsesItsCredentials() throws Exception {
    S3.client().createBucket(b -> b.bucket("weft-other-bucket"));
    S3.client()
        .putObject(
            b -> b.bucket("weft-other-bucket").key("k/plain.txt"),
            RequestBody.fromString("one two\n"));
    PluginClient.Reply r =
        argo.execute(
            wc(
                "u-full",
                "[\"/in/plain.txt\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"p\",\"path\":\"/in/plain.txt\",\"s3\":{\"endpoint\":\"127.0.0.1:"
                    + S3.port()
                    + "\",\"bucket\":\"weft-other-bucket\",\"insecure\":true,\"key\":\"k/plain.txt\"}}]}"));
    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
    assertThat(r.body().at("/node/outputs/result").asText()).isEqualTo("1 2 8");
  }

  @Test
  void httpInputsComeFromAllowedUrlsOnly() throws Exception {
    int port = web.getAddress().getPort();
    PluginClient.Reply ok =
        argo.execute(
            wc(
                "u-http",
                "[\"/in/hello.txt\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"h\",\"path\":\"/in/hello.txt\",\"http\":{\"url\":\"http://127.0.0.1:"
                    + port
                    + "/files/hello.txt\"}}]}"));
    assertThat(ok.phase()).as(ok.message()).isEqualTo("Succeeded");
    assertThat(ok.body().at("/node/outputs/result").asText()).isEqualTo("1 3 16");

    PluginClient.Reply denied =
        argo.execute(
            wc(
                "u-http-denied",
                "[]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"h\",\"path\":\"/in/h\",\"http\":{\"url\":\"http://127.0.0.1:"
                    + port
                    + "/secret?token=abc\"}}]}"));
    assertThat(denied.phase()).isEqualTo("Failed");
    assertThat(denied.message())
        .contains("input artifact 'h'")
        .contains("http://127.0.0.1:" + port + "/secret")
        .contains("--artifact-allow-url")
        .doesNotContain("token=abc");

    PluginClient.Reply redirected =
        argo.execute(
            wc(
                "u-http-redirect",
                "[]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"h\",\"path\":\"/in/h\",\"http\":{\"url\":\"http://127.0.0.1:"
                    + port
                    + "/files/away\"}}]}"));
    assertThat(redirected.phase()).isEqualTo("Failed");
    assertThat(redirected.message())
        .contains("http://127.0.0.2:" + port + "/files/hello.txt")
        .contains("not allowed");
  }

  @Test
  void aMissingObjectFailsNamingTheKey() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            wc(
                "u-missing",
                "[]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"gone\",\"path\":\"/in/gone\",\"s3\":{\"key\":\"nowhere/gone.tgz\"}}]}"));
    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message())
        .contains("input artifact 'gone'")
        .contains("'nowhere/gone.tgz'")
        .contains("s3://" + S3Fixture.BUCKET);

    PluginClient.Reply optional =
        argo.execute(
            wc(
                "u-missing-opt",
                "[\"/work/input.json\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"gone\",\"path\":\"/in/gone\",\"optional\":true,\"s3\":{\"key\":\"nowhere/gone.tgz\"}}]}"));
    assertThat(optional.phase()).as(optional.message()).isEqualTo("Succeeded");
  }

  @Test
  void declaredOutputsAreStoredUnderArgosKeysAndRepliedKeyOnly() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            wc(
                "u-out",
                "[\"/in/text\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"text\",\"path\":\"/in/text\",\"raw\":{\"data\":\"a b c\\n\"}}]},"
                    + "\"outputs\":{\"artifacts\":["
                    + "{\"name\":\"words\",\"path\":\"/tmp/words.txt\",\"globalName\":\"all-words\"},"
                    + "{\"name\":\"words-raw\",\"path\":\"/tmp/words.txt\",\"archive\":{\"none\":{}}},"
                    + "{\"name\":\"words-zip\",\"path\":\"/tmp/words.txt\",\"archive\":{\"zip\":{}}}]}"));

    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
    String pod = r.body().at("/node/outputs/artifacts/0/s3/key").asText().split("/")[1];
    assertThat(pod).matches("wf-t-\\d+");
    assertThat(r.body().at("/node/outputs/artifacts/0").toString())
        .isEqualTo(
            "{\"name\":\"words\",\"path\":\"/tmp/words.txt\",\"s3\":{\"key\":\"wf/"
                + pod
                + "/words.tgz\"},\"globalName\":\"all-words\"}");
    assertThat(r.body().at("/node/outputs/artifacts/1/s3/key").asText())
        .isEqualTo("wf/" + pod + "/words.txt");
    assertThat(r.body().at("/node/outputs/artifacts/1/archive").toString())
        .isEqualTo("{\"none\":{}}");
    assertThat(r.body().at("/node/outputs/artifacts/2/s3/key").asText())
        .isEqualTo("wf/" + pod + "/words-zip.zip");
    assertThat(r.body().at("/node/outputs/artifacts/0/s3").has("bucket")).isFalse();

    Path tgz = get("wf/" + pod + "/words.tgz");
    assertThat(Archives.detect(tgz)).isEqualTo(Archives.Format.TGZ);
    Path x = Files.createDirectory(tmp.resolve("x"));
    run(x, "tar", "xzf", tgz.toString());
    assertThat(x.resolve("words.txt")).hasContent("3");
    assertThat(get("wf/" + pod + "/words.txt")).hasContent("3");
    Path z = Files.createDirectory(tmp.resolve("z"));
    run(z, "unzip", "-q", get("wf/" + pod + "/words-zip.zip").toString());
    assertThat(z.resolve("words.txt")).hasContent("3");
  }

  @Test
  void aStepsOutputIsTheNextStepsInput() throws Exception {
    PluginClient.Reply first =
        argo.execute(
            PluginClient.step(
                "u-chain-1",
                "{\"module\":{\"file\":\"reverse/reverse.wasm\"}}",
                "\"inputs\":{\"parameters\":[{\"name\":\"text\",\"value\":\"abc\"}],"
                    + "\"artifacts\":[{\"name\":\"text\",\"path\":\"/text.txt\",\"raw\":{\"data\":\"one two three\\n\"}}]}"));
    assertThat(first.phase()).as(first.message()).isEqualTo("Succeeded");
    assertThat(first.message()).doesNotContain("not uploaded");
    String key = first.body().at("/node/outputs/artifacts/0/s3/key").asText();
    assertThat(key).endsWith("/reversed.tgz");

    // What Argo would pass on: the reply's artifact, key-only, at a new path.
    PluginClient.Reply second =
        argo.execute(
            wc(
                "u-chain-2",
                "[\"/in/reversed\"]",
                "\"inputs\":{\"artifacts\":[{\"name\":\"reversed\",\"path\":\"/in/reversed\",\"s3\":{\"key\":\""
                    + key
                    + "\"}}]}"));
    assertThat(second.phase()).as(second.message()).isEqualTo("Succeeded");
    assertThat(second.body().at("/node/outputs/result").asText()).isEqualTo("1 3 14");
  }

  @Test
  void anOutputPathEscapingTheSandboxFailsAndNothingIsStored() throws Exception {
    for (String variant : List.of("dotdot", "absolute")) {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-escape-" + variant,
                  "{\"module\":{\"file\":\"adversarial/escape.wasm\"}}",
                  "\"inputs\":{\"parameters\":[{\"name\":\"variant\",\"value\":\""
                      + variant
                      + "\"}]}"));
      assertThat(r.phase()).as(variant).isEqualTo("Failed");
      assertThat(r.message()).as(variant).contains("'passwd'").contains("etc/passwd");
      assertThat(r.body().at("/node/outputs/artifacts").isMissingNode()).isTrue();
    }
    assertThat(
            S3.client()
                .listObjectsV2(b -> b.bucket(S3Fixture.BUCKET).prefix("wf/wf-t-"))
                .contents())
        .noneMatch(o -> o.key().endsWith("/ok.tgz") || o.key().endsWith("/passwd.tgz"));
  }

  @Test
  void credentialsAppearNeitherToTheModuleNorInLogs() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    PluginClient.Reply r;
    PluginClient.Reply wrong;
    try {
      put("in/probe.txt", Files.writeString(tmp.resolve("p.txt"), "p"));
      r =
          argo.execute(
              PluginClient.step(
                  "u-probe",
                  "{\"module\":{\"file\":\"adversarial/probe.wasm\"},\"args\":[\"/in/p\"]}",
                  "\"inputs\":{\"artifacts\":[{\"name\":\"p\",\"path\":\"/in/p\",\"s3\":{\"key\":\"in/probe.txt\"}}]}"));
      // The artifact names a Secret whose key does not match: the failure must not show it either.
      wrong =
          argo.execute(
              wc(
                  "u-wrong",
                  "[]",
                  "\"inputs\":{\"artifacts\":[{\"name\":\"w\",\"path\":\"/in/w\",\"s3\":{\"endpoint\":\"127.0.0.1:"
                      + S3.port()
                      + "\",\"bucket\":\""
                      + S3Fixture.BUCKET
                      + "\",\"insecure\":true,\"key\":\"in/probe.txt\","
                      + "\"accessKeySecret\":{\"name\":\"cred\",\"key\":\"a\"},\"secretKeySecret\":{\"name\":\"cred\",\"key\":\"s\"}}}]}"));
    } finally {
      System.setErr(err);
    }
    assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
    String view = r.body().at("/node/outputs/result").asText();
    assertThat(view)
        .contains("/in/p")
        .contains("envc=0")
        .doesNotContain(S3Fixture.SECRET_KEY)
        .doesNotContain(S3Fixture.ACCESS_KEY);
    assertThat(wrong.phase()).isEqualTo("Failed");
    assertThat(wrong.message())
        .contains("input artifact 'w'")
        .contains("HTTP 403")
        .doesNotContain(S3Fixture.ACCESS_KEY)
        .doesNotContain("wrong-secret-ZZ81")
        .doesNotContain(S3Fixture.SECRET_KEY);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .doesNotContain(S3Fixture.SECRET_KEY)
        .doesNotContain("wrong-secret-ZZ81");
  }

  @Test
  void aLargeUnarchivedInputIsReadByRangeNotDownloaded() throws Exception {
    // 2 GiB: over the 1 GiB artifact limit and the sandbox, so only a lazy read can succeed.
    long size = 2L << 30;
    long offset = 1536L << 20;
    java.nio.file.Path file = S3.objectFile("in/two-gib.bin");
    Files.createDirectories(file.getParent());
    byte[] pattern = new byte[1 << 20];
    new java.util.Random(11).nextBytes(pattern);
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
      f.seek(offset);
      f.write(pattern);
    }
    int h = fnv32a(pattern);
    String head =
        "{\"module\":{\"file\":\"head/head.wasm\"},\"args\":[\"%s\",\""
            + offset
            + "\",\"1048576\"]}";
    PluginClient.Reply lazy =
        argo.execute(
            PluginClient.step(
                "u-lazy",
                head.formatted("/data/big.bin"),
                "\"inputs\":{\"artifacts\":[{\"name\":\"big\",\"path\":\"/data/big.bin\",\"s3\":{\"key\":\"in/two-gib.bin\"},\"archive\":{\"none\":{}}}]}"));
    assertThat(lazy.phase()).as(lazy.message()).isEqualTo("Succeeded");
    assertThat(lazy.body().at("/node/outputs/result").asText())
        .isEqualTo(size + " 1048576 " + String.format("%08x", h));

    // The same through a full s3 location (a store made for this artifact, open while the module
    // reads).
    PluginClient.Reply full =
        argo.execute(
            PluginClient.step(
                "u-lazy-full",
                head.formatted("/data/big.bin"),
                "\"inputs\":{\"artifacts\":[{\"name\":\"big\",\"path\":\"/data/big.bin\",\"s3\":{\"endpoint\":\"127.0.0.1:"
                    + S3.port()
                    + "\",\"bucket\":\""
                    + S3Fixture.BUCKET
                    + "\",\"insecure\":true,\"key\":\"in/two-gib.bin\","
                    + "\"accessKeySecret\":{\"name\":\"good\",\"key\":\"a\"},\"secretKeySecret\":{\"name\":\"good\",\"key\":\"s\"}}}]}"));
    assertThat(full.phase()).as(full.message()).isEqualTo("Succeeded");
    assertThat(full.body().at("/node/outputs/result").asText())
        .isEqualTo(size + " 1048576 " + String.format("%08x", h));

    // In /tmp it cannot have a directory of its own, so it would be downloaded: refused by size.
    PluginClient.Reply eager =
        argo.execute(
            PluginClient.step(
                "u-eager",
                head.formatted("/tmp/big.bin"),
                "\"inputs\":{\"artifacts\":[{\"name\":\"big\",\"path\":\"/tmp/big.bin\",\"s3\":{\"key\":\"in/two-gib.bin\"}}]}"));
    assertThat(eager.phase()).isEqualTo("Failed");
    assertThat(eager.message())
        .contains("input artifact 'big'")
        .contains(
            "over the artifact size limit of "
                + dev.weft.runtime.Limits.formatBytes(
                    dev.weft.argo.ArtifactSettings.DEFAULT_MAX_ARTIFACT_BYTES))
        .contains("--artifact-max-size");
    Files.delete(file);
  }

  @Test
  void aDeclaredOutputTheModuleDoesNotReportFailsTheStep() throws Exception {
    PluginClient.Reply r =
        argo.execute(
            wc(
                "u-unreported",
                "[\"/work/input.json\"]",
                "\"outputs\":{\"artifacts\":[{\"name\":\"report\"},{\"name\":\"maybe\",\"optional\":true}]}"));
    assertThat(r.phase()).isEqualTo("Failed");
    assertThat(r.message())
        .contains("output artifact 'report'")
        .contains("did not report it")
        .doesNotContain("'maybe'");
  }

  /** FNV-1a, 32 bits: the checksum the head module prints. */
  private static int fnv32a(byte[] data) {
    int h = 0x811c9dc5;
    for (byte b : data) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }
}
