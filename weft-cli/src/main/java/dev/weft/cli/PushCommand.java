package dev.weft.cli;

import dev.weft.oci.ImageRef;
import dev.weft.oci.Pushed;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.WeftException;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft push}: publish a module as a CNCF Wasm OCI artifact. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description =
        "Pushes a .wasm module to an OCI registry (CNCF Wasm artifact layout) and prints its pinned reference.")
final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Parameters(index = "0", paramLabel = "MODULE", description = "The .wasm file.")
  Path module;

  @Parameters(index = "1", paramLabel = "REF", description = "registry/repository:tag")
  String reference;

  @Option(
      names = "--annotation",
      paramLabel = "KEY=VALUE",
      description = "A manifest annotation (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try {
      ImageRef ref = ImageRef.parse(reference);
      byte[] bytes = Files.readAllBytes(module);
      WeftRuntime.create()
          .load(
              ModuleSource.bytes(
                  module.getFileName().toString(), bytes)); // refuse what weft could not run
      Map<String, String> a = new LinkedHashMap<>();
      a.put("org.opencontainers.image.created", java.time.Instant.now().toString());
      for (String kv : annotations) {
        int eq = kv.indexOf('=');
        if (eq <= 0)
          throw new IllegalArgumentException("--annotation expects KEY=VALUE, got '" + kv + "'");
        a.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      Pushed p = registry.client().push(bytes, module.getFileName().toString(), ref, a);
      spec.commandLine().getOut().println(ref.name() + "@" + p.manifestDigest());
      return 0;
    } catch (java.nio.file.NoSuchFileException e) {
      spec.commandLine().getErr().println("weft push: module file not found: " + module);
      return Main.USAGE;
    } catch (IllegalArgumentException | WeftException e) {
      spec.commandLine().getErr().println("weft push: " + e.getMessage());
      return Main.USAGE;
    }
  }
}
