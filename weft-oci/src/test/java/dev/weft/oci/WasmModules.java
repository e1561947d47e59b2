package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example modules the OCI tests push, and a check that a pulled module really runs. */
final class WasmModules {
  static final Path ROOT =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .toAbsolutePath()
          .normalize();
  private static final WeftRuntime WEFT = WeftRuntime.create();

  private WasmModules() {}

  /**
   * {@code hello/hello.wasm}: greets parameter {@code name} in output parameter {@code greeting}.
   */
  static byte[] hello() {
    return read("hello/hello.wasm");
  }

  static byte[] read(String relative) {
    Path p = ROOT.resolve(relative);
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "example module " + p + " (system property weft.examples): " + e, e);
    }
  }

  /**
   * The module with a custom section appended: still a valid module that behaves the same, but with
   * different bytes (a different digest), so tests that tamper with a registry's blob or re-point a
   * tag never touch content other tests share.
   */
  static byte[] variant(byte[] module, String label) {
    byte[] name = label.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    leb128(body, name.length);
    body.writeBytes(name);
    body.writeBytes(("variant " + label).getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0); // custom section id
    leb128(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void leb128(ByteArrayOutputStream out, int value) {
    int v = value;
    do {
      int b = v & 0x7f;
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
  }

  /**
   * Runs the module with {@code name=OCI} and checks it greets: the pulled bytes are a working
   * module.
   */
  static void assertGreets(byte[] module) {
    TaskResult r =
        WEFT.run(
            ModuleSource.bytes("hello.wasm", module),
            TaskSpec.builder().parameter("name", "OCI").build());
    assertThat(r.succeeded())
        .as("task message: %s; stderr: %s", r.message(), r.stderrTail())
        .isTrue();
    assertThat(r.outputParameter("greeting")).contains("Hello, OCI!");
  }
}
