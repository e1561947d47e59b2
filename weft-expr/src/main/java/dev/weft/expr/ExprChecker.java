package dev.weft.expr;

import dev.weft.expr.ExprSyntax.ArrayLit;
import dev.weft.expr.ExprSyntax.Binary;
import dev.weft.expr.ExprSyntax.Call;
import dev.weft.expr.ExprSyntax.Closure;
import dev.weft.expr.ExprSyntax.Ident;
import dev.weft.expr.ExprSyntax.Lit;
import dev.weft.expr.ExprSyntax.Node;
import java.util.Set;

/**
 * The part of expr's type checker (expr-lang/expr checker/checker.go) that literal types decide:
 * expressions Go rejects before running, such as {@code true or 0} and {@code 42 in ["a"]}, are
 * rejected here too rather than evaluated.
 */
final class ExprChecker {
  private static final Set<String> LOGICAL = Set.of("and", "or", "&&", "||");

  private ExprChecker() {}

  private static final Set<String> COMPARISON = Set.of("==", "!=", "<", ">", "<=", ">=");

  static void check(Node n, String src) {
    check(n, src, null);
  }

  /**
   * @param element the type {@code #} has here (an enclosing predicate over a typed collection), or
   *     null
   */
  private static void check(Node n, String src, String element) {
    if (n instanceof Call c) {
      for (Node a : c.args()) {
        if (a instanceof Closure cl) check(cl.body(), src, elementType(c.args().get(0)));
        else check(a, src, element);
      }
      return;
    }
    if (!(n instanceof Binary b)) return;
    if (COMPARISON.contains(b.op()) && element != null) {
      String l =
          b.left() instanceof Ident i && i.name().equals("#") ? element : literalType(b.left());
      String r =
          b.right() instanceof Ident i && i.name().equals("#") ? element : literalType(b.right());
      if (l != null && r != null && !l.equals(r) && !(isNumber(l) && isNumber(r)))
        throw mismatch(b, l, r, src);
    }
    check(b.left(), src, element);
    check(b.right(), src, element);
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
        if (t == null || (item != null && !item.equals(t)))
          return; // not one literal type: decided at run time
        item = t;
      }
      if (l != null && !l.equals(item) && !(isNumber(l) && isNumber(item))) {
        throw new ExpressionException(
            "cannot use "
                + l
                + " as type "
                + item
                + " in array at position "
                + (b.pos() + 1)
                + " in '"
                + src
                + "'");
      }
    }
  }

  /**
   * The type of a collection's elements when literals decide it: an int range, a filter of one, a
   * literal array.
   */
  private static String elementType(Node collection) {
    if (collection instanceof Binary b && b.op().equals("..")) return "int";
    if (collection instanceof Call c && c.name().equals("filter") && !c.args().isEmpty())
      return elementType(c.args().get(0));
    if (collection instanceof ArrayLit a && !a.items().isEmpty()) {
      String t = null;
      for (Node x : a.items()) {
        String xt = literalType(x);
        if (xt == null || (t != null && !t.equals(xt))) return null;
        t = xt;
      }
      return t;
    }
    return null;
  }

  private static ExpressionException mismatch(Binary b, String l, String r, String src) {
    return new ExpressionException(
        "invalid operation: "
            + b.op()
            + " (mismatched types "
            + l
            + " and "
            + r
            + ") at position "
            + (b.pos() + 1)
            + " in '"
            + src
            + "'");
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
