package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.runtime.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a processed Argo template that the {@code plugin: wasm:} mapping reads: input
 * parameters with their values, declared outputs and the template's timeout. Argo has already
 * substituted every {@code {{…}}} expression. The plugin server and the agent read it from the
 * template JSON ({@link #fromJson}); the local engine builds it from its own model.
 *
 * @param name the template's name (for messages and Argo's pod-name stand-in)
 * @param inputParameters name to value, in declaration order
 * @param timeout the template's {@code timeout}, lowering the step's time limit
 */
public record StepTemplate(
    String name,
    Map<String, String> inputParameters,
    List<OutputParameter> outputParameters,
    List<OutputArtifact> outputArtifacts,
    Optional<Duration> timeout) {

  public StepTemplate {
    Objects.requireNonNull(name, "name");
    inputParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputParameters));
    outputParameters = List.copyOf(outputParameters);
    outputArtifacts = List.copyOf(outputArtifacts);
    Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * A declared output parameter.
   *
   * @param path {@code valueFrom.path}, an absolute guest path
   * @param defaultValue {@code valueFrom.default}, or the parameter's {@code value}
   * @param globalName echoed in the node result so Argo exports it
   * @param unsupported the {@code valueFrom} source weft cannot provide for a wasm step, if any
   */
  public record OutputParameter(
      String name,
      Optional<String> path,
      Optional<String> defaultValue,
      Optional<String> globalName,
      Optional<String> unsupported) {
    public OutputParameter {
      Objects.requireNonNull(name, "name");
    }

    public static OutputParameter supplied(String name) {
      return new OutputParameter(
          name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** A declared output artifact; without a path, only contract v1's result.json can report it. */
  public record OutputArtifact(String name, Optional<String> path, boolean optional) {}

  private static final List<String> UNSUPPORTED_SOURCES =
      List.of("jsonPath", "jqFilter", "expression", "parameter", "event", "configMapKeyRef");

  /** Reads Argo's template JSON (as sent to a plugin or written into a WorkflowTaskSet). */
  public static StepTemplate fromJson(JsonNode template) {
    Map<String, String> inputs = new LinkedHashMap<>();
    JsonNode params = list(template.path("inputs").path("parameters"), "inputs.parameters");
    for (int i = 0; i < params.size(); i++) {
      JsonNode p = entry(params.get(i), "inputs.parameters[" + i + "]");
      String at = "inputs.parameters[" + i + "]";
      String name = Json.scalar(p.get("name"), at + ".name");
      JsonNode v = p.hasNonNull("value") ? p.get("value") : p.get("default");
      inputs.put(name, Json.scalar(v, at + ".value ('" + name + "')"));
    }
    List<OutputParameter> outs = new ArrayList<>();
    JsonNode outParams = list(template.path("outputs").path("parameters"), "outputs.parameters");
    for (int i = 0; i < outParams.size(); i++) {
      JsonNode p = entry(outParams.get(i), "outputs.parameters[" + i + "]");
      String at = "outputs.parameters[" + i + "]";
      String name = Json.scalar(p.get("name"), at + ".name");
      JsonNode from = p.path("valueFrom");
      // valueFrom.supplied is Argo's way of saying "the plugin provides it": the module must report
      // it
      Optional<String> unsupported = UNSUPPORTED_SOURCES.stream().filter(from::has).findFirst();
      Optional<String> path =
          from.hasNonNull("path")
              ? Optional.of(Json.scalar(from.get("path"), at + ".valueFrom.path"))
              : Optional.empty();
      Optional<String> dflt =
          from.hasNonNull("default")
              ? Optional.of(Json.scalar(from.get("default"), at + ".valueFrom.default"))
              : p.hasNonNull("value")
                  ? Optional.of(Json.scalar(p.get("value"), at + ".value"))
                  : Optional.empty();
      Optional<String> global =
          p.hasNonNull("globalName") ? Optional.of(p.get("globalName").asText()) : Optional.empty();
      outs.add(new OutputParameter(name, path, dflt, global, unsupported));
    }
    List<OutputArtifact> arts = new ArrayList<>();
    JsonNode outArtifacts = list(template.path("outputs").path("artifacts"), "outputs.artifacts");
    for (int i = 0; i < outArtifacts.size(); i++) {
      JsonNode a = entry(outArtifacts.get(i), "outputs.artifacts[" + i + "]");
      String at = "outputs.artifacts[" + i + "]";
      String name = Json.scalar(a.get("name"), at + ".name");
      Optional<String> path =
          a.hasNonNull("path")
              ? Optional.of(Json.scalar(a.get("path"), at + ".path"))
              : Optional.empty();
      arts.add(new OutputArtifact(name, path, a.path("optional").asBoolean(false)));
    }
    Optional<Duration> timeout = Optional.empty();
    if (template.hasNonNull("timeout")) {
      try {
        timeout =
            Optional.of(
                Limits.parseDuration("timeout", Json.scalar(template.get("timeout"), "timeout")));
      } catch (IllegalArgumentException e) {
        throw new SpecException("timeout", e.getMessage());
      }
    }
    return new StepTemplate(template.path("name").asText(""), inputs, outs, arts, timeout);
  }

  /** A list field: absent, null or an array, never an object or a scalar. */
  private static JsonNode list(JsonNode n, String field) {
    if (n.isMissingNode() || n.isNull() || n.isArray()) return n;
    throw new SpecException(
        field,
        "must be a list, got " + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
  }

  private static JsonNode entry(JsonNode n, String field) {
    if (n != null && n.isObject()) return n;
    throw new SpecException(field, "must be an object with a name");
  }
}
