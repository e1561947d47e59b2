package dev.weft.engine;

import dev.weft.engine.Model.Kind;

/**
 * A node's type. The constants are spelled as Argo spells them; {@code Skipped} is a type of its
 * own in Argo, for a step that never reached its template ({@code when} false, a bad argument).
 */
public enum NodeType {
  Pod,
  Plugin,
  Suspend,
  Steps,
  StepGroup,
  DAG,
  TaskGroup,
  Retry,
  Skipped;

  /** The type of a node that runs a template of this kind. */
  static NodeType of(Kind kind) {
    return switch (kind) {
      case STEPS -> Steps;
      case DAG -> DAG;
      case SUSPEND -> Suspend;
      case PLUGIN -> Plugin;
      case CONTAINER, SCRIPT -> Pod;
    };
  }

  /**
   * The type of a node that ends in Error before it runs (its arguments could not be resolved): the
   * type its template would have given it, so type and phase agree (a Skipped node is never Error).
   */
  static NodeType before(Model.Template t) {
    return t == null ? Pod : of(t.kind());
  }

  /** A node that does work itself; Argo's progress counts these. */
  public boolean leaf() {
    return this == Pod || this == Plugin || this == Suspend;
  }

  /** A node that only groups others; its failure is its children's, so summaries skip it. */
  public boolean grouping() {
    return this == Steps || this == DAG || this == StepGroup || this == TaskGroup || this == Retry;
  }
}
