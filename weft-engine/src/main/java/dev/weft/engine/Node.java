package dev.weft.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a running workflow, in Argo's terms. Written only by the engine's control thread;
 * readers (a live display) see consistent enough values through volatile fields.
 */
public final class Node {
  public final String id;
  public final String name;
  public final String displayName;
  public final String type;
  public final String templateName;
  public final String boundaryId;
  /** The node under which a tree display shows this one (empty for the root). */
  public final String parentId;
  private volatile String phase = "Pending";
  private volatile String message = "";
  private volatile Instant startedAt;
  private volatile Instant finishedAt;
  private final List<String> children = new ArrayList<>(1);
  private volatile Map<String, String> inputParameters = Map.of();
  private volatile List<ArtifactRef> inputArtifacts = List.of();
  private volatile Outputs outputs = Outputs.NONE;

  /** A node's outputs: parameters in order, {@code result} (stdout), exit code, artifacts. */
  public record Outputs(Map<String, String> parameters, Optional<String> result, Optional<String> exitCode, List<ArtifactRef> artifacts) {
    public static final Outputs NONE = new Outputs(Map.of(), Optional.empty(), Optional.empty(), List.of());

    public Outputs {
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      artifacts = List.copyOf(artifacts);
    }

    public boolean isEmpty() {
      return parameters.isEmpty() && result.isEmpty() && exitCode.isEmpty() && artifacts.isEmpty();
    }
  }

  Node(String id, String name, String displayName, String type, String templateName, String boundaryId, String parentId) {
    this.id = id;
    this.name = name;
    this.displayName = displayName;
    this.type = type;
    this.templateName = templateName;
    this.boundaryId = boundaryId;
    this.parentId = parentId;
  }

  public String phase() {
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
    return phase.equals("Succeeded") || failedOrError();
  }

  /** Completed, Skipped or Omitted. */
  public boolean fulfilled() {
    return completed() || phase.equals("Skipped") || phase.equals("Omitted");
  }

  public boolean failedOrError() {
    return phase.equals("Failed") || phase.equals("Error");
  }

  void addChild(String id) {
    synchronized (children) {
      // the duplicate check is for small fan-ins; a 10,000-item loop's group must not pay a quadratic scan
      if (children.size() > 32 || !children.contains(id)) children.add(id);
    }
  }

  void removeChild(String id) {
    synchronized (children) {
      children.remove(id);
    }
  }

  void running() {
    if (startedAt == null) startedAt = Instant.now();
    phase = "Running";
  }

  void finish(String phase, String message) {
    if (startedAt == null) startedAt = Instant.now();
    this.message = message == null ? "" : message;
    this.finishedAt = Instant.now();
    this.phase = phase;
  }

  void inputs(Map<String, String> params, List<ArtifactRef> artifacts) {
    this.inputParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    this.inputArtifacts = List.copyOf(artifacts);
  }

  void outputs(Outputs o) {
    this.outputs = o;
  }
}
