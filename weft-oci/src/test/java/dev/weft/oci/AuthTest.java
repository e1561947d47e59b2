package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.runtime.ModuleFetchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry behind htpasswd basic auth (distribution 2.8's own auth, no token service). */
class AuthTest {
  private static final String USER = "weft-ci";
  private static final String PASS = "corr3ct horse:battery";
  private static final Optional<String> AUTH = Optional.of(USER + ":" + PASS);
  private static final byte[] HELLO = WasmModules.hello();
  private static RegistryServer registry;
  private static ImageRef ref;

  @BeforeAll
  static void startRegistryWithAModule() {
    registry = RegistryServer.withBasicAuth(USER, PASS);
    RawPush.pushManifest(
        registry,
        "private/hello",
        "1.0",
        RawPush.OCI_MANIFEST,
        RawPush.cncfWasm(registry, "private/hello", HELLO, AUTH),
        AUTH);
    ref = ImageRef.parse(registry.host() + "/private/hello:1.0");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static RegistryClient client(Credentials c) {
    return RegistryClient.builder()
        .insecure(registry.host())
        .credentials(c)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private static ModuleFetchException pullFails(RegistryClient c) {
    ModuleFetchException e = catchThrowableOfType(ModuleFetchException.class, () -> c.pull(ref));
    assertThat(e).as("pulling %s should fail with a ModuleFetchException", ref).isNotNull();
    return e;
  }

  @Test
  void aPullWithBasicCredentialsForTheRegistrySucceedsAndRuns() {
    Pulled p = client(Credentials.basic(registry.host(), USER, PASS)).pull(ref);

    assertThat(p.module()).isEqualTo(HELLO);
    WasmModules.assertGreets(p.module());
  }

  @Test
  void aPullWithADockerConfigAuthEntrySucceeds(@TempDir Path dir) throws Exception {
    String auth =
        Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes(StandardCharsets.UTF_8));
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        RawPush.JSON.writeValueAsString(
            Map.of(
                "auths",
                Map.of(
                    "registry.example.org",
                    Map.of(
                        "auth",
                        Base64.getEncoder()
                            .encodeToString("someone:else".getBytes(StandardCharsets.UTF_8))),
                    registry.host(),
                    Map.of("auth", auth)))));

    assertThat(client(Credentials.fromDockerConfig(config)).pull(ref).module()).isEqualTo(HELLO);
  }

  @Test
  void aPullWithADockerConfigUsernameAndPasswordEntrySucceeds(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        RawPush.JSON.writeValueAsString(
            Map.of("auths", Map.of(registry.host(), Map.of("username", USER, "password", PASS)))));

    assertThat(client(Credentials.fromDockerConfig(config)).pull(ref).module()).isEqualTo(HELLO);
  }

  @Test
  void resolveAndPushAlsoAuthenticate() {
    RegistryClient c = client(Credentials.basic(registry.host(), USER, PASS));
    ImageRef pushed = ImageRef.parse(registry.host() + "/private/pushed:1");

    Pushed p = c.push(HELLO, "hello.wasm", pushed, Map.of());

    assertThat(c.resolve(pushed)).isEqualTo(p.manifestDigest());
    assertThat(RawPush.getManifest(registry, "private/pushed", "1", AUTH).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aPullWithoutCredentialsFailsNamingTheRegistry() {
    ModuleFetchException e = pullFails(client(Credentials.anonymous()));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("credentials");
  }

  @Test
  void aPullWithCredentialsForAnotherRegistryFailsNamingThisRegistry() {
    ModuleFetchException e =
        pullFails(client(Credentials.basic("registry.example.org", USER, PASS)));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("credentials");
  }

  @Test
  void aPullWithAWrongPasswordFailsSayingTheCredentialsWereRefused() {
    ModuleFetchException e =
        pullFails(client(Credentials.basic(registry.host(), USER, "Wr0ngPa55")));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("refused");
    assertThat(e.getMessage()).doesNotContain("Wr0ngPa55");
  }

  @Test
  void aDockerConfigWithAWrongPasswordIsRefusedToo(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        RawPush.JSON.writeValueAsString(
            Map.of(
                "auths",
                Map.of(
                    registry.host(),
                    Map.of(
                        "auth",
                        Base64.getEncoder()
                            .encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8)))))));

    ModuleFetchException e = pullFails(client(Credentials.fromDockerConfig(config)));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("refused");
  }

  /** A credential helper program speaking Docker's protocol: registry on stdin, JSON on stdout. */
  private static Path helper(Path dir, String name, String script) throws Exception {
    Path p = dir.resolve("docker-credential-" + name);
    Files.writeString(p, "#!/bin/sh\n" + script);
    p.toFile().setExecutable(true);
    return p;
  }

  private static Credentials withHelpers(Path dir, Map<String, Object> config) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, RawPush.JSON.writeValueAsString(config));
    return Credentials.fromDockerConfig(
        file, program -> Optional.of(dir.resolve(program)).filter(Files::isExecutable));
  }

  @Test
  void aCredHelperForTheRegistryIsAskedWithTheRegistryOnStdin(@TempDir Path dir) throws Exception {
    Path asked = dir.resolve("asked");
    helper(
        dir,
        "ci",
        "[ \"$1\" = get ] || exit 3\ncat > "
            + asked
            + "\n"
            + "printf '{\"ServerURL\":\"x\",\"Username\":\""
            + USER
            + "\",\"Secret\":\""
            + PASS
            + "\"}'\n");

    Credentials c = withHelpers(dir, Map.of("credHelpers", Map.of(registry.host(), "ci")));

    assertThat(client(c).pull(ref).module()).isEqualTo(HELLO);
    assertThat(Files.readString(asked)).isEqualTo(registry.host());
    assertThat(c.toString()).doesNotContain(PASS);
  }

  @Test
  void theDefaultCredsStoreServesRegistriesWithoutTheirOwnHelper(@TempDir Path dir)
      throws Exception {
    helper(
        dir,
        "store",
        "cat > /dev/null\nprintf '{\"Username\":\"" + USER + "\",\"Secret\":\"" + PASS + "\"}'\n");

    assertThat(client(withHelpers(dir, Map.of("credsStore", "store"))).pull(ref).module())
        .isEqualTo(HELLO);
  }

  @Test
  void aHelperThatHasNoCredentialsLeavesTheRequestAnonymous(@TempDir Path dir) throws Exception {
    helper(
        dir, "empty", "cat > /dev/null\necho 'credentials not found in native keychain'\nexit 1\n");

    ModuleFetchException e = pullFails(client(withHelpers(dir, Map.of("credsStore", "empty"))));

    assertThat(e.getMessage()).contains(registry.host()).contains("none were given");
  }

  @Test
  void aMissingHelperProgramIsNamedInTheError(@TempDir Path dir) throws Exception {
    ModuleFetchException e =
        pullFails(
            client(withHelpers(dir, Map.of("credHelpers", Map.of(registry.host(), "absent")))));

    assertThat(e.getMessage())
        .contains("docker-credential-absent")
        .contains(registry.host())
        .contains("PATH");
  }

  @Test
  void aFailingHelperIsNamedAndItsOutputIsNotShown(@TempDir Path dir) throws Exception {
    helper(dir, "broken", "cat > /dev/null\necho 'leaked-secret-123'\nexit 2\n");

    ModuleFetchException e = pullFails(client(withHelpers(dir, Map.of("credsStore", "broken"))));

    assertThat(e.getMessage())
        .contains("docker-credential-broken")
        .contains("exit code 2")
        .doesNotContain("leaked-secret-123");
  }
}
