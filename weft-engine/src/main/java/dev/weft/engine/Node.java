package dev.weft.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a running workflow, in Argo's terms. Written only by the engine's control thread;
 * readers (a live display) see consistent enough values through volatile fields. Every property is
 * read through a record-style accessor.
 */
public final class Node {
  private final String id;
  private final String name;
  private final String displayName;
  private final NodeType type;
  private final String templateName;
  private final String boundaryId;
  private final String parentId;
  private final Clock clock;
  private volatile NodePhase phase = NodePhase.Pending;
  private volatile String message = "";
  private volatile Instant startedAt;
  private volatile Instant finishedAt;
  private final List<String> children = new ArrayList<>(1);
  private volatile Map<String, String> inputParameters = Map.of();
  private volatile List<ArtifactRef> inputArtifacts = List.of();
  private volatile Outputs outputs = Outputs.NONE;

  /** A node's outputs: parameters in order, {@code result} (stdout), exit code, artifacts. */
  public record Outputs(
      Map<String, String> parameters,
      Optional<String> result,
      Optional<String> exitCode,
      List<ArtifactRef> artifacts) {
    public static final Outputs NONE =
        new Outputs(Map.of(), Optional.empty(), Optional.empty(), List.of());

    public Outputs {
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      artifacts = List.copyOf(artifacts);
    }

    public boolean isEmpty() {
      return parameters.isEmpty() && result.isEmpty() && exitCode.isEmpty() && artifacts.isEmpty();
    }
  }

  Node(
      String id,
      String name,
      String displayName,
      NodeType type,
      String templateName,
      String boundaryId,
      String parentId,
      Clock clock) {
    this.id = id;
    this.name = name;
    this.displayName = displayName;
    this.type = type;
    this.templateName = templateName;
    this.boundaryId = boundaryId;
    this.parentId = parentId;
    this.clock = clock;
  }

  /** Argo's node id: the workflow's name for the root, else derived from the node name. */
  public String id() {
    return id;
  }

  /** The full name, e.g. {@code wf[0].step(1:item)}. */
  public String name() {
    return name;
  }

  public String displayName() {
    return displayName;
  }

  public NodeType type() {
    return type;
  }

  public String templateName() {
    return templateName;
  }

  /** The id of the steps or DAG node this one runs inside (empty for the root). */
  public String boundaryId() {
    return boundaryId;
  }

  /** The node under which a tree display shows this one (empty for the root). */
  public String parentId() {
    return parentId;
  }

  public NodePhase phase() {
    return phase;
  }

  public String message() {
    return message;
  }

  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  public Optional<Instant> finishedAt() {
    return Optional.ofNullable(finishedAt);
  }

  public List<String> children() {
    synchronized (children) {
      return List.copyOf(children);
    }
  }

  public Map<String, String> inputParameters() {
    return inputParameters;
  }

  public List<ArtifactRef> inputArtifacts() {
    return inputArtifacts;
  }

  public Outputs outputs() {
    return outputs;
  }

  /** Succeeded, Failed or Error. */
  public boolean completed() {
    return phase.completed();
  }

  /** Completed, Skipped or Omitted. */
  public boolean fulfilled() {
    return phase.fulfilled();
  }

  public boolean failedOrError() {
    return phase.failedOrError();
  }

  void addChild(String childId) {
    synchronized (children) {
      // the duplicate check is for small fan-ins; a 10,000-item loop's group must not pay a
      // quadratic scan
      if (children.size() > 32 || !children.contains(childId)) children.add(childId);
    }
  }

  void removeChild(String childId) {
    synchronized (children) {
      children.remove(childId);
    }
  }

  void running() {
    if (startedAt == null) startedAt = clock.instant();
    phase = NodePhase.Running;
  }

  void finish(NodePhase phase, String message) {
    Instant now = clock.instant();
    if (startedAt == null) startedAt = now;
    this.message = message == null ? "" : message;
    this.finishedAt = now;
    this.phase = phase;
  }

  void inputs(Map<String, String> params, List<ArtifactRef> artifacts) {
    this.inputParameters = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    this.inputArtifacts = List.copyOf(artifacts);
  }

  void outputs(Outputs o) {
    this.outputs = o;
  }
}
