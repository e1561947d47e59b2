package dev.weft.cli;

import dev.weft.oci.ImageRef;
import dev.weft.oci.ModuleStore;
import dev.weft.runtime.WeftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft pull}: fetch a module from a registry into the cache (or a file). */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description =
        "Pulls a Wasm module from an OCI registry into the cache, verifying every digest, and compiles it.")
final class PullCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Parameters(
      index = "0",
      paramLabel = "REF",
      description = "registry/repository:tag or registry/repository@sha256:…")
  String reference;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Also write the module to this file.")
  Path output;

  @picocli.CommandLine.Mixin CacheOptions cache;

  @Override
  public Integer call() throws Exception {
    try {
      ImageRef ref = ImageRef.parse(reference);
      java.nio.file.Path root = cache.root();
      ModuleStore store =
          registry.store(
              root,
              cache.maxBytes(),
              spec.commandLine().getErr()); // progress for modules over 1 MiB
      long t0 = System.nanoTime();
      byte[] module = store.module(ref);
      // compile now, into the same cache, so the first `weft exec` of it does not pay for that
      dev.weft.runtime.WeftRuntime.builder()
          .compiledCodeDir(root.resolve("code"))
          .compiledCodeMaxBytes(cache.maxBytes())
          .build()
          .load(dev.weft.runtime.ModuleSource.bytes(ref.toString(), module));
      if (output != null) Files.write(output, module);
      spec.commandLine()
          .getOut()
          .printf(
              "%s: %s (%s) in %d ms%s%n",
              ref,
              dev.weft.oci.Digests.sha256(module),
              Sizes.human(module.length),
              (System.nanoTime() - t0) / 1_000_000,
              output == null ? "" : " -> " + output);
      return 0;
    } catch (IllegalArgumentException | WeftException e) {
      spec.commandLine().getErr().println("weft pull: " + e.getMessage());
      return Main.USAGE;
    }
  }
}
