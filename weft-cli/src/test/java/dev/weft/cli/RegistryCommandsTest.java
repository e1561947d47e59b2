package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.oci.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft push, inspect, pull and exec of a reference, against a real registry on 127.0.0.1. */
class RegistryCommandsTest {
  private static final Path HELLO =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .resolve("hello/hello.wasm");

  @Test
  void pushInspectPullAndExecByReference(@TempDir Path cache) throws Exception {
    try (RegistryServer registry = RegistryServer.anonymous()) {
      String ref = registry.host() + "/cli/hello:1.0";
      Cli.Run push =
          Cli.weft(
              "push",
              HELLO.toString(),
              ref,
              "--insecure-registry",
              registry.host(),
              "--annotation",
              "org.example=yes");
      assertThat(push.status()).as(push.err()).isZero();
      String pinned = push.out().trim();
      assertThat(pinned).startsWith(registry.host() + "/cli/hello@sha256:");

      Cli.Run inspect = Cli.weft("inspect", ref, "--insecure-registry", registry.host());
      assertThat(inspect.out())
          .contains("manifest:  " + pinned.substring(pinned.indexOf('@') + 1))
          .contains("layer:     application/wasm");
      assertThat(inspect.out())
          .as("the size, once, human-readable")
          .contains("\nsize:      " + Sizes.human(Files.size(HELLO)) + "\n")
          .doesNotContain("bytes")
          .doesNotContain(Files.size(HELLO) + "B");

      Path out = cache.resolve("pulled.wasm");
      Cli.Run pull =
          Cli.weft(
              "pull",
              pinned,
              "--insecure-registry",
              registry.host(),
              "--cache-dir",
              cache.toString(),
              "-o",
              out.toString());
      assertThat(pull.status()).as(pull.err()).isZero();
      assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(HELLO));
      try (var code = Files.walk(cache.resolve("code"))) {
        assertThat(code.filter(p -> p.toString().endsWith(".jar")).count())
            .as("pull also compiled the module")
            .isEqualTo(1);
      }

      Cli.Run exec =
          Cli.weft(
              "exec",
              pinned,
              "--insecure-registry",
              registry.host(),
              "--cache-dir",
              cache.toString(),
              "-p",
              "name=OCI");
      assertThat(exec.status()).as(exec.err()).isZero();
      assertThat(exec.err()).endsWith("greeting=Hello, OCI!\n");

      Cli.Run direct =
          Cli.weft(
              "exec",
              ref,
              "--insecure-registry",
              registry.host(),
              "--no-cache",
              "-p",
              "name=direct");
      assertThat(direct.err()).endsWith("greeting=Hello, direct!\n");
    }
  }

  @Test
  void aPlainHttpRegistryReachedOverHttpsSaysToUseInsecureRegistry(@TempDir Path cache) {
    try (RegistryServer registry = RegistryServer.anonymous()) {
      Cli.Run r =
          Cli.weft("pull", registry.host() + "/cli/hello:1.0", "--cache-dir", cache.toString());

      assertThat(r.status()).isEqualTo(2);
      assertThat(r.err())
          .contains("over HTTPS")
          .contains("use --insecure-registry " + registry.host());
    }
  }

  @Test
  void runPullsWithTheRegistryOptionsAndThenRunsAPinnedModuleFromTheCacheWithoutTheRegistry(
      @TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    String pinned;
    try (RegistryServer registry = RegistryServer.anonymous()) {
      Cli.Run push =
          Cli.weft(
              "push",
              HELLO.toString(),
              registry.host() + "/cli/hello:run",
              "--insecure-registry",
              registry.host());
      pinned = push.out().trim();
      Path tagged = workflow(tmp, "tagged.yaml", registry.host() + "/cli/hello:run");
      Cli.Run first =
          Cli.weft(
              "run",
              tagged.toString(),
              "-p",
              "name=tag",
              "--insecure-registry",
              registry.host(),
              "--cache-dir",
              cache.toString(),
              "--artifacts",
              tmp.resolve("art").toString());
      assertThat(first.status()).as(first.err()).isZero();
      assertThat(first.out()).contains("greeting: Hello, tag!");
      Cli.Run pin =
          Cli.weft(
              "pull",
              pinned,
              "--insecure-registry",
              registry.host(),
              "--cache-dir",
              cache.toString());
      assertThat(pin.status()).as(pin.err()).isZero();
    }
    // the registry is gone: a digest-pinned module is found in the cache weft pull and exec use
    Cli.Run offline =
        Cli.weft(
            "run",
            workflow(tmp, "pinned.yaml", pinned).toString(),
            "-p",
            "name=offline",
            "--cache-dir",
            cache.toString(),
            "--artifacts",
            tmp.resolve("art").toString());
    assertThat(offline.status()).as(offline.out() + offline.err()).isZero();
    assertThat(offline.out()).contains("greeting: Hello, offline!");
  }

  private static Path workflow(Path dir, String file, String ref) throws java.io.IOException {
    return Files.writeString(
        dir.resolve(file),
        String.join(
            "\n",
            "apiVersion: argoproj.io/v1alpha1",
            "kind: Workflow",
            "metadata: {generateName: oci-}",
            "spec:",
            "  entrypoint: hello",
            "  arguments: {parameters: [{name: name, value: x}]}",
            "  templates:",
            "    - name: hello",
            "      inputs: {parameters: [{name: name, value: '{{workflow.parameters.name}}'}]}",
            "      outputs: {parameters: [{name: greeting, valueFrom: {supplied: {}}}]}",
            "      plugin: {wasm: {module: {oci: '" + ref + "'}}}",
            ""));
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

  @Test
  void pullOfALargeModuleShowsProgress(@TempDir Path cache) throws Exception {
    try (RegistryServer registry = RegistryServer.anonymous()) {
      Path big = cache.resolve("big.wasm");
      Files.write(big, withPadding(Files.readAllBytes(HELLO), 3 << 20)); // a valid module of ~3 MiB
      String ref = registry.host() + "/cli/big:1";
      assertThat(
              Cli.weft("push", big.toString(), ref, "--insecure-registry", registry.host())
                  .status())
          .isZero();

      Cli.Run pull =
          Cli.weft(
              "pull",
              ref,
              "--insecure-registry",
              registry.host(),
              "--cache-dir",
              cache.resolve("c").toString());
      assertThat(pull.status()).as(pull.err()).isZero();
      assertThat(pull.err()).contains("pulling sha256:").contains("(100%)");
    }
  }

  /**
   * The module with a custom section of {@code bytes} appended (custom sections change no
   * behaviour).
   */
  private static byte[] withPadding(byte[] module, int bytes) {
    byte[] name = "weft-padding".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
    payload.write(name.length);
    payload.writeBytes(name);
    payload.writeBytes(new byte[bytes]);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0); // custom section id
    for (long n = payload.size(); ; n >>>= 7) { // LEB128 size
      if (n < 0x80) {
        out.write((int) n);
        break;
      }
      out.write((int) (n & 0x7f) | 0x80);
    }
    out.writeBytes(payload.toByteArray());
    return out.toByteArray();
  }
}
