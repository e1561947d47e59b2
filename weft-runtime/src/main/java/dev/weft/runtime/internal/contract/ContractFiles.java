package dev.weft.runtime.internal.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.runtime.InputArtifact;
import dev.weft.runtime.Limits;
import dev.weft.runtime.OutputArtifactSpec;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.OutputParameterSpec;
import dev.weft.runtime.Parameter;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Module contract v1 on disk: writes /work/input.json, reads /work/result.json. The field names are
 * the earlier Rust plugin's, so its modules run unchanged; docs/module-contract.md has the schemas.
 */
public final class ContractFiles {
  public static final String INPUT_JSON = "input.json";
  public static final String RESULT_JSON = "result.json";
  public static final String ARTIFACTS_IN = "artifacts-in";
  public static final String ARTIFACTS_OUT = "artifacts-out";
  public static final int CONTRACT_VERSION = 1;

  private ContractFiles() {}

  /** Writes input.json for this task into the sandbox's work directory. */
  public static void writeInput(Path workDir, TaskSpec spec) throws IOException {
    try (OutputStream out = Files.newOutputStream(workDir.resolve(INPUT_JSON));
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("workflow_name", spec.workflowName());
      writeParameters(g, "plugin_options", spec.pluginOptions());
      writeParameters(g, "parameters", spec.parameters());
      g.writeArrayFieldStart("artifacts");
      for (InputArtifact a : spec.inputArtifacts()) {
        g.writeStartObject();
        g.writeStringField("name", a.name());
        g.writeStringField("path", a.path());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("weft");
      g.writeNumberField("contract", CONTRACT_VERSION);
      g.writeArrayFieldStart("args");
      for (String a : spec.args()) g.writeString(a);
      g.writeEndArray();
      g.writeObjectFieldStart("outputs");
      g.writeArrayFieldStart("parameters");
      for (OutputParameterSpec p : spec.outputParameters()) {
        g.writeStartObject();
        g.writeStringField("name", p.name());
        if (p.path().isPresent()) g.writeStringField("path", p.path().get());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("artifacts");
      for (OutputArtifactSpec a : spec.outputArtifacts()) {
        g.writeStartObject();
        g.writeStringField("name", a.name());
        g.writeStringField("path", a.path());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private static void writeParameters(JsonGenerator g, String field, List<Parameter> list)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (Parameter p : list) {
      g.writeStartObject();
      g.writeStringField("name", p.name());
      g.writeFieldName("value");
      Json.write(g, p.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** What a module reported in result.json. */
  public record Result(
      Phase phase, String message, List<OutputParameter> parameters, List<ArtifactRef> artifacts) {}

  /** An output artifact as the module named it: {@code path} is relative to /work/artifacts-out. */
  public record ArtifactRef(String name, String path) {}

  /** result.json breaks the contract; the message says where. */
  public static final class ResultException extends Exception {
    final boolean tooLarge;

    ResultException(String message, boolean tooLarge) {
      super(message, null, false, false);
      this.tooLarge = tooLarge;
    }

    public boolean tooLarge() {
      return tooLarge;
    }
  }

  /** Reads result.json if the module wrote one. */
  public static Optional<Result> readResult(Path workDir, long maxBytes, long maxParameterBytes)
      throws ResultException, IOException {
    Path file = workDir.resolve(RESULT_JSON);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      throw new ResultException("result.json is not a regular file", false);
    }
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new ResultException(
          "result.json is "
              + size
              + " bytes, over the limit of "
              + Limits.formatBytes(maxBytes)
              + " (limits.maxResultJson)",
          true);
    }
    Object root;
    try {
      root = JsonReader.read(Files.readAllBytes(file));
    } catch (JsonReader.SyntaxException e) {
      throw new ResultException("result.json is not valid JSON " + e.getMessage(), false);
    }
    if (!(root instanceof Map<?, ?> obj)) {
      throw new ResultException(
          "result.json must hold a JSON object, found " + describe(root), false);
    }
    return Optional.of(parse(obj, maxParameterBytes));
  }

  private static Result parse(Map<?, ?> root, long maxParameterBytes) throws ResultException {
    Object phaseNode = root.get("phase");
    if (!(phaseNode instanceof String phaseText)) {
      throw new ResultException(
          "result.json: 'phase' is required and must be a string (Succeeded, Failed or Error), found "
              + describe(phaseNode),
          false);
    }
    Phase phase;
    try {
      phase = Phase.valueOf(phaseText);
    } catch (IllegalArgumentException e) {
      throw new ResultException(
          "result.json: 'phase' must be Succeeded, Failed or Error, found \"" + phaseText + "\"",
          false);
    }
    Object msg = root.get("message");
    if (msg != null && !(msg instanceof String)) {
      throw new ResultException(
          "result.json: 'message' must be a string, found " + describe(msg), false);
    }
    String message = msg == null ? "" : (String) msg;
    List<OutputParameter> params = new ArrayList<>();
    List<ArtifactRef> artifacts = new ArrayList<>();
    Object outputs = root.get("outputs");
    if (outputs != null) {
      if (!(outputs instanceof Map<?, ?> out)) {
        throw new ResultException(
            "result.json: 'outputs' must be an object, found " + describe(outputs), false);
      }
      int i = 0;
      for (Object p : array(out, "parameters")) {
        String where = "outputs.parameters[" + i++ + "]";
        Map<?, ?> item = object(p, where);
        String name = requireName(item, where);
        Object v = item.get("value");
        String value = v == null ? "" : v instanceof String str ? str : Json.text(v);
        if (value.length() > maxParameterBytes) { // chars <= bytes, so this is a fast first check
          throw new ResultException(
              "result.json: "
                  + where
                  + " '"
                  + name
                  + "' is "
                  + value.length()
                  + " characters, over the output parameter limit of "
                  + Limits.formatBytes(maxParameterBytes)
                  + " (limits.maxOutputParameter)",
              true);
        }
        for (OutputParameter earlier : params) {
          if (earlier.name().equals(name)) {
            throw new ResultException(
                "result.json: " + where + " repeats output parameter name '" + name + "'", false);
          }
        }
        params.add(new OutputParameter(name, value));
      }
      i = 0;
      for (Object a : array(out, "artifacts")) {
        String where = "outputs.artifacts[" + i++ + "]";
        Map<?, ?> item = object(a, where);
        String name = requireName(item, where);
        Object path = item.get("path");
        if (!(path instanceof String ps) || ps.isEmpty()) {
          throw new ResultException(
              "result.json: " + where + " '" + name + "' needs a non-empty string 'path'", false);
        }
        artifacts.add(new ArtifactRef(name, ps));
      }
    }
    return new Result(phase, message, params, artifacts);
  }

  private static List<?> array(Map<?, ?> outputs, String field) throws ResultException {
    Object n = outputs.get(field);
    if (n == null) {
      return List.of(); // the earlier plugin required both arrays; we tolerate either missing
    }
    if (!(n instanceof List<?> l)) {
      throw new ResultException(
          "result.json: 'outputs." + field + "' must be an array, found " + describe(n), false);
    }
    return l;
  }

  private static Map<?, ?> object(Object item, String where) throws ResultException {
    if (!(item instanceof Map<?, ?> m)) {
      throw new ResultException(
          "result.json: " + where + " must be an object, found " + describe(item), false);
    }
    return m;
  }

  private static String requireName(Map<?, ?> item, String where) throws ResultException {
    if (!(item.get("name") instanceof String name) || name.isEmpty()) {
      throw new ResultException(
          "result.json: " + where + " needs a non-empty string 'name'", false);
    }
    return name;
  }

  private static String describe(Object n) {
    if (n == null) return "nothing";
    String t =
        n instanceof Map
            ? "object"
            : n instanceof List
                ? "array"
                : n instanceof String ? "string" : n instanceof Boolean ? "boolean" : "number";
    String s = Json.text(n);
    return t + " " + (s.length() > 60 ? s.substring(0, 60) + "…" : s);
  }
}
