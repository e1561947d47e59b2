package dev.weft.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * A declared output parameter. Its value comes from result.json when the module reports it, else
 * from the guest file at {@code path}, else {@code defaultValue}; with none of these the task
 * fails.
 *
 * @param path an absolute guest path such as {@code /tmp/words.txt}
 */
public record OutputParameterSpec(
    String name, Optional<String> path, Optional<String> defaultValue) {
  public OutputParameterSpec {
    Objects.requireNonNull(name, "output parameter name");
    Objects.requireNonNull(path, "output parameter path");
    Objects.requireNonNull(defaultValue, "output parameter default");
  }

  public static OutputParameterSpec fromPath(String name, String path) {
    return new OutputParameterSpec(name, Optional.of(path), Optional.empty());
  }
}
