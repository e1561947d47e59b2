package dev.weft.expr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masterminds/semver v3 as sprig's semver and semverCompare use it: versions {@code
 * MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]} with an optional {@code v}; constraints joined by {@code ,}
 * or spaces (and) and {@code ||} (or), each {@code = != > < >= <= ~ ^} or a wildcard.
 */
final class Semver {
  private static final Pattern VERSION =
      Pattern.compile(
          "v?(\\d+)(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");
  private static final Pattern TERM =
      Pattern.compile("\\s*(!=|>=|<=|=>|=<|=|>|<|~>|~|\\^)?\\s*(\\S+)\\s*");

  private Semver() {}

  private record V(
      long major, long minor, long patch, String pre, boolean minorWild, boolean patchWild) {
    int compare(V o) {
      int c = Long.compare(major, o.major);
      if (c == 0) c = Long.compare(minor, o.minor);
      if (c == 0) c = Long.compare(patch, o.patch);
      if (c != 0) return c;
      if (pre.equals(o.pre)) return 0;
      if (pre.isEmpty()) return 1;
      if (o.pre.isEmpty()) return -1;
      return pre.compareTo(o.pre);
    }
  }

  private static V parse(String s) {
    Matcher m = VERSION.matcher(s.trim());
    if (!m.matches()) throw new ExprFunctions.Failure("Invalid Semantic Version: " + s);
    boolean minorWild = m.group(2) == null || m.group(2).matches("[xX*]");
    boolean patchWild = minorWild || m.group(3) == null || m.group(3).matches("[xX*]");
    return new V(
        Long.parseLong(m.group(1)),
        minorWild ? 0 : Long.parseLong(m.group(2)),
        patchWild ? 0 : Long.parseLong(m.group(3)),
        m.group(4) == null ? "" : m.group(4),
        minorWild,
        patchWild);
  }

  /** sprig's semver: the parts of a version as a map. */
  static Map<String, Object> parts(String s) {
    V v = parse(s);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Major", v.major());
    out.put("Minor", v.minor());
    out.put("Patch", v.patch());
    out.put("Prerelease", v.pre());
    return out;
  }

  /** Whether {@code version} meets {@code constraint}. */
  static boolean satisfies(String version, String constraint) {
    V v = parse(version);
    for (String alt : constraint.split("\\|\\|")) {
      boolean all = true;
      for (String term : alt.trim().split("\\s*,\\s*|\\s+(?=[<>=!~^v\\d])")) {
        if (term.isBlank()) continue;
        if (!holds(v, term)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  private static boolean holds(V v, String term) {
    if (term.equals("*") || term.equalsIgnoreCase("x")) return v.pre().isEmpty();
    Matcher m = TERM.matcher(term);
    if (!m.matches()) throw new ExprFunctions.Failure("improper constraint: " + term);
    String op = m.group(1) == null ? "=" : m.group(1);
    V c = parse(m.group(2));
    if (!v.pre().isEmpty() && c.pre().isEmpty())
      return false; // prereleases only match prerelease constraints
    V upper;
    switch (op) {
      case "~", "~>" ->
          upper =
              c.minorWild()
                  ? new V(c.major() + 1, 0, 0, "", false, false)
                  : new V(c.major(), c.minor() + 1, 0, "", false, false);
      case "^" ->
          upper =
              c.major() > 0 || c.minorWild()
                  ? new V(c.major() + 1, 0, 0, "", false, false)
                  : c.minor() > 0 || c.patchWild()
                      ? new V(0, c.minor() + 1, 0, "", false, false)
                      : new V(0, 0, c.patch() + 1, "", false, false);
      case "=" -> {
        if (c.minorWild()) return v.major() == c.major();
        if (c.patchWild()) return v.major() == c.major() && v.minor() == c.minor();
        return v.compare(c) == 0;
      }
      case "!=" -> {
        return v.compare(c) != 0;
      }
      case ">" -> {
        return v.compare(c) > 0;
      }
      case "<" -> {
        return v.compare(c) < 0;
      }
      case ">=", "=>" -> {
        return v.compare(c) >= 0;
      }
      case "<=", "=<" -> {
        return v.compare(c) <= 0;
      }
      default -> throw new ExprFunctions.Failure("improper constraint: " + term);
    }
    return v.compare(c) >= 0 && v.compare(upper) < 0;
  }
}
