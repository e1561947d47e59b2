package dev.weft.expr;

import dev.weft.expr.ExprParser.ArrayLit;
import dev.weft.expr.ExprParser.Binary;
import dev.weft.expr.ExprParser.Lit;
import dev.weft.expr.ExprParser.Node;
import java.util.Set;

/**
 * The part of expr's type checker (expr-lang/expr checker/checker.go) that literal types decide:
 * expressions Go rejects before running, such as {@code true or 0} and {@code 42 in ["a"]}, are
 * rejected here too rather than evaluated.
 */
final class ExprChecker {
  private static final Set<String> LOGICAL = Set.of("and", "or", "&&", "||");

  private ExprChecker() {}

  static void check(Node n, String src) {
    if (!(n instanceof Binary b)) return;
    check(b.left(), src);
    check(b.right(), src);
    if (LOGICAL.contains(b.op())) {
      String l = literalType(b.left());
      String r = literalType(b.right());
      if ((l != null && !l.equals("bool")) || (r != null && !r.equals("bool"))) {
        throw mismatch(b, l == null ? "bool" : l, r == null ? "bool" : r, src);
      }
    }
    if (b.op().equals("in") && b.right() instanceof ArrayLit a && !a.items().isEmpty()) {
      String l = literalType(b.left());
      String item = null;
      for (Node x : a.items()) {
        String t = literalType(x);
        if (t == null || (item != null && !item.equals(t))) return; // not one literal type: decided at run time
        item = t;
      }
      if (l != null && !l.equals(item) && !(isNumber(l) && isNumber(item))) {
        throw new ExpressionException("cannot use " + l + " as type " + item + " in array at position " + (b.pos() + 1) + " in '" + src + "'");
      }
    }
  }

  private static ExpressionException mismatch(Binary b, String l, String r, String src) {
    return new ExpressionException("invalid operation: " + b.op() + " (mismatched types " + l + " and " + r + ") at position " + (b.pos() + 1)
        + " in '" + src + "'");
  }

  private static boolean isNumber(String t) {
    return t.equals("int") || t.equals("float");
  }

  /** The type of a literal, or null when the node is not a literal. */
  private static String literalType(Node n) {
    if (!(n instanceof Lit l)) return null;
    Object v = l.value();
    if (v == null) return null;
    if (v instanceof Boolean) return "bool";
    if (v instanceof Long) return "int";
    if (v instanceof Double) return "float";
    if (v instanceof String) return "string";
    return null;
  }
}
