package dev.weft.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finished workflow: its phase (Succeeded, Failed or Error) and message as Argo words them,
 * times, every node (in the order they were created) and the workflow's global outputs.
 */
public record WorkflowStatus(
    String name,
    NodePhase phase,
    String message,
    Instant startedAt,
    Instant finishedAt,
    List<Node> nodes,
    Map<String, String> outputParameters,
    Map<String, ArtifactRef> outputArtifacts,
    String artifactStore) {
  public WorkflowStatus {
    nodes = List.copyOf(nodes);
    outputParameters = Map.copyOf(outputParameters);
    outputArtifacts = Map.copyOf(outputArtifacts);
  }

  public boolean succeeded() {
    return phase == NodePhase.Succeeded;
  }

  /** The node with this name (e.g. {@code wf.step}), if it exists. */
  public java.util.Optional<Node> node(String nodeName) {
    return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
  }

  /** The root node: the entrypoint's. */
  public Node root() {
    return node(name).orElseThrow();
  }
}
