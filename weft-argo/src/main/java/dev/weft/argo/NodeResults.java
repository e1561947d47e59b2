package dev.weft.argo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A finished task as Argo's node result: the one place a {@link TaskResult} becomes Argo's shape.
 */
public final class NodeResults {
  /** How much stderr a failed node's message carries (Argo shows the message in its UI). */
  public static final int MESSAGE_STDERR_BYTES = 1024;

  private NodeResults() {}

  /**
   * The task's outcome as a node: declared output parameters first, by name and with their {@code
   * globalName} echoed (Argo exports globals only from what the plugin returns), then any other
   * parameters the module reported; {@code result} is stdout; a failure's message ends with the
   * tail of stderr.
   *
   * @param stored the output artifacts as stored (key-only)
   */
  static NodeResult finished(TaskResult r, StepTemplate template, ArrayNode stored) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    String message = message(r);
    if (!r.outputArtifacts().isEmpty() && stored.isEmpty()) { // said, not silently dropped
      String names = String.join(", ", r.outputArtifacts().stream().map(a -> a.name()).toList());
      message =
          (message.isEmpty() ? "" : message + "; ")
              + "output artifacts not uploaded ("
              + names
              + "): there is no artifact repository (--artifact-repository or --artifact-dir)";
    }
    ObjectNode outputs = json.objectNode();
    ArrayNode params = json.arrayNode();
    Set<String> written = new HashSet<>();
    for (StepTemplate.OutputParameter d : template.outputParameters()) {
      r.outputParameter(d.name())
          .ifPresent(
              value -> {
                ObjectNode p = params.addObject().put("name", d.name()).put("value", value);
                d.globalName().ifPresent(g -> p.put("globalName", g));
                written.add(d.name());
              });
    }
    for (OutputParameter p : r.outputParameters()) {
      if (written.add(p.name())) params.addObject().put("name", p.name()).put("value", p.value());
    }
    if (!params.isEmpty()) outputs.set("parameters", params);
    if (!stored.isEmpty()) outputs.set("artifacts", stored);
    if (!r.result().isEmpty()) outputs.put("result", r.result());
    if (r.exitCode().isPresent()) outputs.put("exitCode", String.valueOf(r.exitCode().getAsInt()));
    return new NodeResult(
        NodeResult.Phase.valueOf(r.phase().name()),
        message,
        outputs.isEmpty() ? Optional.empty() : Optional.of(outputs));
  }

  /** The task's message; a failure's ends with the tail of its stderr. */
  public static String message(TaskResult r) {
    return r.succeeded() ? r.message() : withStderr(r.message(), r.stderrTail());
  }

  static String withStderr(String message, String stderr) {
    String s = stderr.strip();
    if (s.isEmpty()) return message;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MESSAGE_STDERR_BYTES) {
      s =
          "…"
              + new String(
                  b, b.length - MESSAGE_STDERR_BYTES, MESSAGE_STDERR_BYTES, StandardCharsets.UTF_8);
    }
    return message + "; stderr: " + s;
  }
}
