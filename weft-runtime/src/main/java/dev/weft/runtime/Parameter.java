package dev.weft.runtime;

import java.util.Objects;

/**
 * A named input value. {@code value} is any JSON-compatible Java value: String, Number, Boolean,
 * null, List or Map of those. Argo parameters are strings; plugin options may be anything.
 */
public record Parameter(String name, Object value) {
  public Parameter {
    Objects.requireNonNull(name, "parameter name");
  }
}
