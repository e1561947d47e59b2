package dev.weft.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Go's path package as sprig exposes it (base, dir, clean, ext) and sprig's integer ranges. */
final class SprigPaths {
  private SprigPaths() {}

  /** Go's path.Clean. */
  static String clean(String p) {
    if (p.isEmpty()) return ".";
    boolean rooted = p.startsWith("/");
    Deque<String> out = new ArrayDeque<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) out.pollLast();
        else if (!rooted) out.addLast("..");
        continue;
      }
      out.addLast(part);
    }
    String s = String.join("/", out);
    if (rooted) return "/" + s;
    return s.isEmpty() ? "." : s;
  }

  /** Go's path.Base. */
  static String base(String p) {
    if (p.isEmpty()) return ".";
    while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
    if (p.equals("/")) return "/";
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** Go's path.Dir. */
  static String dir(String p) {
    int i = p.lastIndexOf('/');
    return clean(i < 0 ? "" : p.substring(0, i + 1));
  }

  /** Go's path.Ext. */
  static String ext(String p) {
    for (int i = p.length() - 1; i >= 0 && p.charAt(i) != '/'; i--) {
      if (p.charAt(i) == '.') return p.substring(i);
    }
    return "";
  }

  /** sprig's until/untilStep: from start towards stop (excluded) by step. */
  static List<Object> range(long start, long stop, long step) {
    List<Object> out = new ArrayList<>();
    if (step == 0) return out;
    for (long v = start; step > 0 ? v < stop : v > stop; v += step) out.add(v);
    return out;
  }
}
