package dev.weft.cli;

import dev.weft.engine.Node;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Draws a workflow's nodes as a tree, the way {@code argo get} and {@code argo watch} do. */
final class WorkflowTree {
  private WorkflowTree() {}

  static String glyph(NodePhase phase) {
    return switch (phase) {
      case Succeeded -> "✔";
      case Failed -> "✖";
      case Error -> "⚠";
      case Skipped, Omitted -> "○";
      case Running -> "●";
      case Pending -> "◷";
    };
  }

  /**
   * The tree as lines: STEP, TEMPLATE, DURATION, MESSAGE; at most {@code maxLines} node lines, the
   * rest summed up by phase in one line.
   */
  static List<String> lines(List<Node> nodes, int maxLines) {
    Map<String, List<Node>> children = new HashMap<>();
    Node root = null;
    for (Node n : nodes) {
      if (n.parentId().isEmpty()) {
        if (root == null) root = n;
        else children.computeIfAbsent("", k -> new ArrayList<>()).add(n); // the exit handler
      } else {
        children.computeIfAbsent(n.parentId(), k -> new ArrayList<>()).add(n);
      }
    }
    List<String[]> rows = new ArrayList<>();
    if (root != null) walk(root, "", "", children, rows, maxLines);
    for (Node exit : children.getOrDefault("", List.of())) walk(exit, "", "", children, rows, maxLines);
    int shown = rows.size();
    List<String> out = new ArrayList<>();
    int w0 = 4, w1 = 8;
    for (String[] r : rows) {
      w0 = Math.max(w0, r[0].codePointCount(0, r[0].length()));
      w1 = Math.max(w1, r[1].length());
    }
    out.add(pad("STEP", w0) + "  " + pad("TEMPLATE", w1) + "  " + pad("DURATION", 8) + "  MESSAGE");
    for (String[] r : rows) out.add((pad(r[0], w0) + "  " + pad(r[1], w1) + "  " + pad(r[2], 8) + "  " + r[3]).stripTrailing());
    if (nodes.stream().filter(n -> n.type() != NodeType.StepGroup).count() > shown) {
      Map<String, Integer> byPhase = new LinkedHashMap<>();
      for (Node n : nodes) byPhase.merge(n.phase().name(), 1, Integer::sum);
      StringBuilder sb = new StringBuilder("… more nodes not shown; all " + nodes.size() + " nodes:");
      byPhase.forEach((k, v) -> sb.append(' ').append(v).append(' ').append(k).append(','));
      sb.setLength(sb.length() - 1);
      out.add(sb.toString());
    }
    return out;
  }

  private static void walk(Node n, String prefix, String childPrefix, Map<String, List<Node>> children, List<String[]> rows, int max) {
    if (rows.size() >= max) return;
    rows.add(new String[] {prefix + glyph(n.phase()) + " " + Terminal.line(n.displayName()), Terminal.line(n.templateName()), duration(n),
        Terminal.line(n.message())});
    List<Node> kids = kids(n, children);
    for (int i = 0; i < kids.size(); i++) {
      boolean last = i == kids.size() - 1;
      walk(kids.get(i), childPrefix + (last ? "└─" : "├─"), childPrefix + (last ? "  " : "│ "), children, rows, max);
    }
  }

  /** A node's children with step groups flattened away, as argo get shows them. */
  private static List<Node> kids(Node n, Map<String, List<Node>> children) {
    List<Node> out = new ArrayList<>();
    for (Node k : children.getOrDefault(n.id(), List.of())) {
      if (k.type() == NodeType.StepGroup) out.addAll(kids(k, children));
      else out.add(k);
    }
    return out;
  }

  static String duration(Node n) {
    if (n.startedAt().isEmpty()) return "";
    Instant end = n.finishedAt().orElse(Instant.now());
    return format(Duration.between(n.startedAt().get(), end));
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + "ms";
    if (ms < 60_000) return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    return (ms / 60_000) + "m" + (ms % 60_000) / 1000 + "s";
  }

  private static String pad(String s, int w) {
    int len = s.codePointCount(0, s.length());
    return len >= w ? s : s + " ".repeat(w - len);
  }
}
