package dev.weft.argo;

import dev.weft.runtime.Parameter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code plugin.wasm} block.
 *
 * @param allowedHosts {@code permissions.http.allowed_hosts}: URLs the step's HTTP may reach,
 *     within the server's {@code --allow-http} ceiling
 * @param secrets {@code permissions.secrets}: Secrets (under the server's {@code --secrets-dir})
 *     whose keys become the module's environment variables
 * @param pluginOptions every other key, passed to the module as {@code plugin_options}
 */
public record WasmStep(
    ModuleRef module,
    List<String> args,
    Map<String, String> env,
    Optional<Long> memoryBytes,
    Optional<Duration> timeout,
    List<String> allowedHosts,
    int maxConcurrentRequests,
    List<Parameter> pluginOptions,
    List<String> secrets) {

  public WasmStep {
    secrets = List.copyOf(secrets);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    allowedHosts = List.copyOf(allowedHosts);
    pluginOptions = List.copyOf(pluginOptions);
  }
}
