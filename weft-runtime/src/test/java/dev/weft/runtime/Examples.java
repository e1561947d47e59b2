package dev.weft.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** The example and adversarial modules built from examples/modules (rebuilt by .ci/run). */
public final class Examples {
  static final Path ROOT =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .toAbsolutePath()
          .normalize();

  private Examples() {}

  public static Path module(String name) {
    Path p = ROOT.resolve(name + "/" + name + ".wasm");
    if (!Files.exists(p))
      throw new IllegalStateException(
          "example module missing: " + p + " (run examples/modules/build.sh)");
    return p;
  }

  static Path adversarial(String name) {
    Path p = ROOT.resolve("adversarial/" + name + ".wasm");
    if (!Files.exists(p))
      throw new IllegalStateException(
          "adversarial module missing: " + p + " (run examples/modules/build.sh)");
    return p;
  }

  static ModuleSource source(Path p) {
    return ModuleSource.file(p);
  }
}
