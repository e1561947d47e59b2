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
    for (Node exit : children.getOrDefault("", List.of()))
      walk(exit, "", "", children, rows, maxLines);
    int shown = rows.size();
    List<String> out = new ArrayList<>();
    int w0 = 4, w1 = 8;
    for (String[] r : rows) {
      w0 = Math.max(w0, r[0].codePointCount(0, r[0].length()));
      w1 = Math.max(w1, r[1].length());
    }
    out.add(pad("STEP", w0) + "  " + pad("TEMPLATE", w1) + "  " + pad("DURATION", 8) + "  MESSAGE");
    for (String[] r : rows)
      out.add(
          (pad(r[0], w0) + "  " + pad(r[1], w1) + "  " + pad(r[2], 8) + "  " + r[3])
              .stripTrailing());
    if (nodes.stream().filter(n -> n.type() != NodeType.StepGroup).count() > shown) {
      Map<String, Integer> byPhase = new LinkedHashMap<>();
      for (Node n : nodes) byPhase.merge(n.phase().name(), 1, Integer::sum);
      StringBuilder sb =
          new StringBuilder("… more nodes not shown; all " + nodes.size() + " nodes:");
      byPhase.forEach((k, v) -> sb.append(' ').append(v).append(' ').append(k).append(','));
      sb.setLength(sb.length() - 1);
      out.add(sb.toString());
    }
    return out;
  }

  private static void walk(
      Node n,
      String prefix,
      String childPrefix,
      Map<String, List<Node>> children,
      List<String[]> rows,
      int max) {
    if (rows.size() >= max) return;
    rows.add(
        new String[] {
          prefix + glyph(n.phase()) + " " + TerminalText.line(n.displayName()),
          TerminalText.line(n.templateName()),
          duration(n),
          TerminalText.line(n.message())
        });
    List<Group> groups = groups(n, children);
    for (int i = 0; i < groups.size(); i++) {
      boolean lastGroup = i == groups.size() - 1;
      List<Node> g = groups.get(i).members();
      if (g.size() == 1
          && groups.get(i).steps()) { // a step alone in its group: argo get's ├─── and └───
        walk(
            g.get(0),
            childPrefix + (lastGroup ? "└───" : "├───"),
            childPrefix + (lastGroup ? "    " : "│   "),
            children,
            rows,
            max);
        continue;
      }
      if (g.size() == 1) { // a DAG task or a retry's attempt: one branch
        walk(
            g.get(0),
            childPrefix + (lastGroup ? "└─" : "├─"),
            childPrefix + (lastGroup ? "  " : "│ "),
            children,
            rows,
            max);
        continue;
      }
      // parallel steps, as argo get draws them: ├─┬─ first, │ ├─ between, │ └─ last
      String rail = childPrefix + (lastGroup ? "  " : "│ ");
      for (int j = 0; j < g.size(); j++) {
        boolean first = j == 0;
        boolean last = j == g.size() - 1;
        String head =
            first ? childPrefix + (lastGroup ? "└─┬─" : "├─┬─") : rail + (last ? "└─" : "├─");
        String cont = first ? rail + "│ " : rail + (last ? "  " : "│ ");
        walk(g.get(j), head, cont, children, rows, max);
      }
    }
  }

  /**
   * A node's children as argo get shows them: the members of each step group together (they ran in
   * parallel), every other child alone.
   */
  private static List<Group> groups(Node n, Map<String, List<Node>> children) {
    List<Group> out = new ArrayList<>();
    for (Node k : children.getOrDefault(n.id(), List.of())) {
      if (k.type() == NodeType.StepGroup) {
        List<Node> members = new ArrayList<>();
        for (Group g : groups(k, children)) members.addAll(g.members());
        if (!members.isEmpty()) out.add(new Group(members, true));
      } else {
        out.add(new Group(List.of(k), false));
      }
    }
    return out;
  }

  /** Children drawn together; {@code steps} when they are one step group's members. */
  private record Group(List<Node> members, boolean steps) {}

  /** The line cut to {@code width} columns, its end replaced by an ellipsis when cut. */
  static String fit(String line, int width) {
    if (width < 2 || line.codePointCount(0, line.length()) <= width) return line;
    return line.substring(0, line.offsetByCodePoints(0, width - 1)) + "…";
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
