package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.oci.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft push, inspect, pull and exec of a reference, against a real registry on 127.0.0.1. */
class RegistryCommandsTest {
  private static final Path HELLO = Path.of(System.getProperty("weft.examples", "../examples/modules")).resolve("hello/hello.wasm");

  @Test
  void pushInspectPullAndExecByReference(@TempDir Path cache) throws Exception {
    try (RegistryServer registry = RegistryServer.anonymous()) {
      String ref = registry.host() + "/cli/hello:1.0";
      Cli.Run push = Cli.weft("push", HELLO.toString(), ref, "--insecure-registry", registry.host(), "--annotation", "org.example=yes");
      assertThat(push.status()).as(push.err()).isZero();
      String pinned = push.out().trim();
      assertThat(pinned).startsWith(registry.host() + "/cli/hello@sha256:");

      Cli.Run inspect = Cli.weft("inspect", ref, "--insecure-registry", registry.host());
      assertThat(inspect.out()).contains("manifest:  " + pinned.substring(pinned.indexOf('@') + 1)).contains("layer:     application/wasm");

      Path out = cache.resolve("pulled.wasm");
      Cli.Run pull = Cli.weft("pull", pinned, "--insecure-registry", registry.host(), "--cache-dir", cache.toString(), "-o", out.toString());
      assertThat(pull.status()).as(pull.err()).isZero();
      assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(HELLO));

      Cli.Run exec = Cli.weft("exec", pinned, "--insecure-registry", registry.host(), "--cache-dir", cache.toString(), "-p", "name=OCI");
      assertThat(exec.status()).as(exec.err()).isZero();
      assertThat(exec.out()).isEqualTo("greeting=Hello, OCI!\n");
    }
  }

  @Test
  void pushRefusesAModuleWeftCannotRun(@TempDir Path tmp) throws Exception {
    Path notWasm = Files.writeString(tmp.resolve("x.wasm"), "nope");
    Cli.Run r = Cli.weft("push", notWasm.toString(), "127.0.0.1:1/x/y:1");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("not a WebAssembly binary");
  }

  @Test
  void unreachableRegistryIsNamed() {
    Cli.Run r = Cli.weft("pull", "127.0.0.1:1/x/y:1", "--insecure-registry", "127.0.0.1:1");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("cannot reach registry 127.0.0.1:1");
  }
}
