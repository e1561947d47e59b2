package dev.weft.argo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * Argo's {@code NodeResult} for one step: what the plugin replies in {@code node} and what an agent
 * patches into a WorkflowTaskSet's {@code status.nodes}.
 *
 * @param outputs Argo's {@code outputs} object (parameters, artifacts, result, exitCode), if any
 */
public record NodeResult(Phase phase, String message, Optional<ObjectNode> outputs) {
  /** The node phases a plugin step can report. */
  public enum Phase {
    Running,
    Succeeded,
    Failed,
    Error;

    /** Whether Argo treats the node as done. */
    public boolean finished() {
      return this != Running;
    }
  }

  public NodeResult {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(outputs, "outputs");
  }

  public static NodeResult failed(String message) {
    return new NodeResult(Phase.Failed, message, Optional.empty());
  }

  public static NodeResult error(String message) {
    return new NodeResult(Phase.Error, message, Optional.empty());
  }

  public static NodeResult running(String message) {
    return new NodeResult(Phase.Running, message, Optional.empty());
  }

  public boolean succeeded() {
    return phase == Phase.Succeeded;
  }

  /** {@code {"phase": …, "message": …, "outputs": …}}, without empty fields, as Argo writes it. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("phase", phase.name());
    if (!message.isEmpty()) node.put("message", message);
    outputs.ifPresent(o -> node.set("outputs", o.deepCopy()));
    return node;
  }
}
