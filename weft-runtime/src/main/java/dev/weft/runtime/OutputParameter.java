package dev.weft.runtime;

import java.util.Objects;

/**
 * A named output value, always a string as Argo requires (JSON values are rendered as JSON text).
 */
public record OutputParameter(String name, String value) {
  public OutputParameter {
    Objects.requireNonNull(name, "output parameter name");
    Objects.requireNonNull(value, "output parameter value");
  }
}
