package dev.weft.engine;

import java.util.Map;

/** Resolved inputs of one template invocation (or a step's arguments before they are bound). */
record Inputs(Map<String, String> parameters, Map<String, ArtifactRef> artifacts) {
  static final Inputs NONE = new Inputs(Map.of(), Map.of());
}
