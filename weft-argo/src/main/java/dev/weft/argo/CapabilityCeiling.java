package dev.weft.argo;

import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.capability.env.EnvCapability;
import dev.weft.runtime.capability.http.AllowedUrl;
import dev.weft.runtime.capability.http.HttpCapability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator of {@code weft serve} permits steps to be granted: a step's {@code permissions}
 * may only narrow it. Nothing is permitted by default.
 *
 * @param http URLs steps may allow ({@code --allow-http}); a step entry must lie within one
 * @param secretsDir where Kubernetes Secrets are mounted as {@code DIR/<secret>/<key>} ({@code
 *     --secrets-dir}); steps name the secrets they get
 */
public record CapabilityCeiling(List<AllowedUrl> http, Optional<Path> secretsDir) {

  public CapabilityCeiling {
    http = List.copyOf(http);
    java.util.Objects.requireNonNull(secretsDir, "secretsDir");
  }

  public static CapabilityCeiling none() {
    return new CapabilityCeiling(List.of(), Optional.empty());
  }

  /**
   * Grants the step's permissions to {@code b}, refusing anything over the ceiling and naming the
   * field.
   */
  void grant(WasmStep step, TaskSpec.Builder b) {
    if (!step.allowedHosts().isEmpty()) {
      String at = "plugin.wasm.permissions.http.allowed_hosts";
      List<AllowedUrl> urls = new ArrayList<>();
      for (int i = 0; i < step.allowedHosts().size(); i++) {
        AllowedUrl u;
        try {
          u = AllowedUrl.parse(step.allowedHosts().get(i));
        } catch (IllegalArgumentException e) {
          throw new SpecException(at + "[" + i + "]", e.getMessage());
        }
        if (http.stream().noneMatch(u::within)) {
          throw new SpecException(
              at + "[" + i + "]",
              "'"
                  + step.allowedHosts().get(i)
                  + "' is not permitted by this server"
                  + (http.isEmpty()
                      ? " (it permits no HTTP; the operator adds URLs with weft serve --allow-http URL)"
                      : " (it permits " + http.stream().map(AllowedUrl::url).toList() + ")"));
        }
        urls.add(u);
      }
      b.grant(
          HttpCapability.allowing(
                  List.of(), step.maxConcurrentRequests()) // limits from the defaults
              .withAllowed(urls));
    }
    if (!step.secrets().isEmpty()) {
      String at = "plugin.wasm.permissions.secrets";
      if (secretsDir.isEmpty())
        throw new SpecException(
            at,
            "this server has no secrets (the operator mounts them with weft serve --secrets-dir DIR)");
      List<Path> dirs = new ArrayList<>();
      for (int i = 0; i < step.secrets().size(); i++) {
        String name = step.secrets().get(i);
        if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"))
          throw new SpecException(at + "[" + i + "]", "'" + name + "' is not a Secret name");
        Path dir = secretsDir.get().resolve(name);
        if (!Files.isDirectory(dir))
          throw new SpecException(
              at + "[" + i + "]", "secret '" + name + "' is not mounted on this server");
        dirs.add(dir);
      }
      b.grant(new EnvCapability(Map.of(), dirs));
    }
  }
}
