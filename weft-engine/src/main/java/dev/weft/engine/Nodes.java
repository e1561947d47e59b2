package dev.weft.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's node graph: the nodes in creation order (the order the status shows), found by id, and
 * linked as Argo links them. Nodes are created on the control thread; a live display reads them.
 */
final class Nodes {
  private final String workflow;
  private final Clock clock;
  private final List<Node> all = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Node> byId = new ConcurrentHashMap<>();

  Nodes(String workflow, Clock clock) {
    this.workflow = workflow;
    this.clock = clock;
  }

  /** Argo's node id: the workflow name and the FNV-1a hash of the node name. */
  static String nodeId(String workflow, String nodeName) {
    int h = 0x811c9dc5;
    for (byte b : nodeName.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    return workflow + "-" + Integer.toUnsignedString(h);
  }

  /** A new Pending node, listed among {@code parent}'s children. */
  Node create(
      String nodeName,
      String display,
      NodeType type,
      String template,
      String boundaryId,
      Node parent) {
    String id = parent == null && nodeName.equals(workflow) ? workflow : nodeId(workflow, nodeName);
    Node n =
        new Node(
            id,
            nodeName,
            display,
            type,
            template,
            boundaryId,
            parent == null ? "" : parent.id(),
            clock);
    byId.put(id, n);
    all.add(n);
    if (parent != null) parent.addChild(id);
    return n;
  }

  /**
   * Lists {@code child} among the children of each of {@code from}. A DAG lists only its root
   * tasks, as Argo does: a task with dependencies hangs off the nodes it depends on instead.
   */
  static void link(List<Node> from, Node child, Node parent) {
    for (Node f : from) if (f != parent) f.addChild(child.id());
    if (parent != null
        && parent.type() == NodeType.DAG
        && !from.isEmpty()
        && !from.contains(parent)) parent.removeChild(child.id());
  }

  Node get(String id) {
    return byId.get(id);
  }

  /** The nodes so far, in creation order. */
  List<Node> snapshot() {
    synchronized (all) {
      return new ArrayList<>(all);
    }
  }

  /** The nodes a later step group hangs off (Argo's outbound nodes). */
  List<Node> outbound(Node n) {
    return outbound(n, byId, snapshot());
  }

  /**
   * {@link #outbound(Node)} over a finished run's nodes, for its status ({@code outboundNodes}).
   */
  static List<Node> outbound(Node n, Map<String, Node> byId, List<Node> all) {
    List<String> kids = n.children();
    switch (n.type()) {
      case Retry, TaskGroup, StepGroup -> {
        if (kids.isEmpty()) return List.of(n);
        if (n.type() == NodeType.Retry)
          return outbound(byId.get(kids.get(kids.size() - 1)), byId, all);
        List<Node> out = new ArrayList<>();
        for (String k : kids) {
          Node c = byId.get(k);
          if (c.boundaryId().equals(n.boundaryId())) out.addAll(outbound(c, byId, all));
        }
        return out.isEmpty() ? List.of(n) : out;
      }
      case Steps, DAG -> {
        List<Node> out = new ArrayList<>();
        for (Node c : all) {
          if (!c.boundaryId().equals(n.id()) || c.type() == NodeType.StepGroup) continue;
          boolean last =
              c.children().stream()
                  .map(byId::get)
                  .noneMatch(x -> x != null && x.boundaryId().equals(n.id()));
          if (last && !c.name().endsWith(".onExit")) out.add(c);
        }
        List<Node> flat = new ArrayList<>();
        for (Node c : out)
          flat.addAll(
              c.type() == NodeType.TaskGroup || c.type() == NodeType.Retry
                  ? outbound(c, byId, all)
                  : List.of(c));
        return flat.isEmpty() ? List.of(n) : flat;
      }
      default -> {
        return List.of(n);
      }
    }
  }

  /**
   * {@code workflow.failures}: the failed nodes that did work, as Argo lists them for exit
   * handlers.
   */
  String failuresJson() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (Node n : snapshot()) {
      if (!n.failedOrError() || n.type().grouping()) continue;
      a.addObject()
          .put("displayName", n.displayName())
          .put("message", n.message())
          .put("templateName", n.templateName())
          .put("phase", n.phase().name())
          .put("podName", n.id())
          .put("finishedAt", n.finishedAt().map(Instant::toString).orElse(""));
    }
    return a.toString();
  }
}
