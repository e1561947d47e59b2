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
    RawPush.pushManifest(registry, "private/hello", "1.0", RawPush.OCI_MANIFEST,
        RawPush.cncfWasm(registry, "private/hello", HELLO, AUTH), AUTH);
    ref = ImageRef.parse(registry.host() + "/private/hello:1.0");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static RegistryClient client(Credentials c) {
    return RegistryClient.builder().insecure(registry.host()).credentials(c).timeout(Duration.ofSeconds(10)).build();
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
    String auth = Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes(StandardCharsets.UTF_8));
    Path config = dir.resolve("config.json");
    Files.writeString(config, RawPush.JSON.writeValueAsString(
        Map.of("auths", Map.of(
            "registry.example.org", Map.of("auth", Base64.getEncoder().encodeToString("someone:else".getBytes(StandardCharsets.UTF_8))),
            registry.host(), Map.of("auth", auth)))));

    assertThat(client(Credentials.fromDockerConfig(config)).pull(ref).module()).isEqualTo(HELLO);
  }

  @Test
  void aPullWithADockerConfigUsernameAndPasswordEntrySucceeds(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, RawPush.JSON.writeValueAsString(
        Map.of("auths", Map.of(registry.host(), Map.of("username", USER, "password", PASS)))));

    assertThat(client(Credentials.fromDockerConfig(config)).pull(ref).module()).isEqualTo(HELLO);
  }

  @Test
  void resolveAndPushAlsoAuthenticate() {
    RegistryClient c = client(Credentials.basic(registry.host(), USER, PASS));
    ImageRef pushed = ImageRef.parse(registry.host() + "/private/pushed:1");

    Pushed p = c.push(HELLO, "hello.wasm", pushed, Map.of());

    assertThat(c.resolve(pushed)).isEqualTo(p.manifestDigest());
    assertThat(RawPush.getManifest(registry, "private/pushed", "1", AUTH).statusCode()).isEqualTo(200);
  }

  @Test
  void aPullWithoutCredentialsFailsNamingTheRegistry() {
    ModuleFetchException e = pullFails(client(Credentials.anonymous()));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("credentials");
  }

  @Test
  void aPullWithCredentialsForAnotherRegistryFailsNamingThisRegistry() {
    ModuleFetchException e = pullFails(client(Credentials.basic("registry.example.org", USER, PASS)));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("credentials");
  }

  @Test
  void aPullWithAWrongPasswordFailsSayingTheCredentialsWereRefused() {
    ModuleFetchException e = pullFails(client(Credentials.basic(registry.host(), USER, "Wr0ngPa55")));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("refused");
    assertThat(e.getMessage()).doesNotContain("Wr0ngPa55");
  }

  @Test
  void aDockerConfigWithAWrongPasswordIsRefusedToo(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, RawPush.JSON.writeValueAsString(Map.of("auths", Map.of(registry.host(),
        Map.of("auth", Base64.getEncoder().encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8)))))));

    ModuleFetchException e = pullFails(client(Credentials.fromDockerConfig(config)));

    assertThat(e.getMessage()).contains(registry.host()).containsIgnoringCase("refused");
  }
}
