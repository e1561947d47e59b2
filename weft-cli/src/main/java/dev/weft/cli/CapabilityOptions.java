package dev.weft.cli;

import dev.weft.argo.CapabilityCeiling;
import dev.weft.runtime.capability.http.AllowedUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What steps may be granted (docs/capabilities.md): nothing unless these options permit it. */
final class CapabilityOptions {
  @Option(
      names = "--allow-http",
      paramLabel = "URL",
      description = {
        "URL that steps' permissions.http.allowed_hosts may name: scheme, host and port must match; *.example.com",
        "wildcards allowed (repeatable; default none, so steps get no HTTP). A step may only narrow these."
      })
  List<String> allowHttp = new ArrayList<>();

  @Option(
      names = "--secrets-dir",
      paramLabel = "DIR",
      description =
          "Where Secrets are mounted as DIR/<secret>/<key>; steps name theirs in permissions.secrets (default: none).")
  Path secretsDir;

  /**
   * @throws IllegalArgumentException naming the option at fault
   */
  CapabilityCeiling ceiling() {
    List<AllowedUrl> urls = new ArrayList<>();
    for (String u : allowHttp) {
      try {
        urls.add(AllowedUrl.parse(u));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--allow-http " + u + ": " + e.getMessage());
      }
    }
    if (secretsDir != null && !Files.isDirectory(secretsDir))
      throw new IllegalArgumentException("--secrets-dir " + secretsDir + " is not a directory");
    return new CapabilityCeiling(urls, Optional.ofNullable(secretsDir));
  }
}
