package dev.weft.cli;

import dev.weft.oci.ImageRef;
import dev.weft.oci.Pulled;
import dev.weft.runtime.WeftException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft inspect}: what a reference points to, without caching it. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Shows the manifest digest, module digest, layer media type and size of a module in a registry.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Parameters(index = "0", paramLabel = "REF")
  String reference;

  @Override
  public Integer call() {
    try {
      ImageRef ref = ImageRef.parse(reference);
      Pulled p = registry.client().pull(ref);
      var out = spec.commandLine().getOut();
      out.println("reference: " + ref);
      out.println("manifest:  " + p.manifestDigest());
      out.println("module:    " + p.moduleDigest());
      out.println("layer:     " + p.mediaType());
      out.println("size:      " + Sizes.human(p.module().length));
      out.println("pinned:    " + ref.name() + "@" + p.manifestDigest());
      return 0;
    } catch (IllegalArgumentException | WeftException e) {
      spec.commandLine().getErr().println("weft inspect: " + e.getMessage());
      return Main.USAGE;
    }
  }
}
