package dev.weft.engine.expr;

import dev.weft.engine.expr.ExprLexer.Kind;
import dev.weft.engine.expr.ExprLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent (precedence-climbing) parser for expr-lang, producing a tree of evaluable
 * nodes. Precedences follow expr-lang's parser: or 10, and 15, comparisons 20, .. 25, + - 30,
 * * / % 60, unary not/! 50, unary -/+ 90, ** ^ 100 (right), ?? 500; ternary lowest.
 */
final class ExprParser {
  /** A parsed expression node; {@code pointer} is the element {@code #} inside a predicate. */
  interface Node {
    Object eval(Map<String, Object> env, Object pointer);
  }

  /** A parsed program: its root and the top-level names it reads (each must be in the env). */
  record Program(Node root, Map<String, Integer> names) {}

  private record Op(int precedence, boolean rightAssoc) {}

  private static final Map<String, Op> BINARY = new LinkedHashMap<>();

  static {
    for (String o : new String[] {"or", "||"}) BINARY.put(o, new Op(10, false));
    for (String o : new String[] {"and", "&&"}) BINARY.put(o, new Op(15, false));
    for (String o : new String[] {"==", "!=", "<", ">", "<=", ">=", "in", "matches", "contains", "startsWith", "endsWith"}) {
      BINARY.put(o, new Op(20, false));
    }
    BINARY.put("..", new Op(25, false));
    BINARY.put("+", new Op(30, false));
    BINARY.put("-", new Op(30, false));
    for (String o : new String[] {"*", "/", "%"}) BINARY.put(o, new Op(60, false));
    BINARY.put("**", new Op(100, true));
    BINARY.put("^", new Op(100, true));
    BINARY.put("??", new Op(500, false));
  }

  private final List<Token> tokens;
  private final Map<String, Integer> names = new LinkedHashMap<>();
  private int pos;
  private int closureDepth;

  private ExprParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static Program parse(String text) {
    ExprParser p = new ExprParser(ExprLexer.lex(text));
    if (p.peek().kind() == Kind.EOF) throw new ExpressionException("empty expression");
    Node root = p.expression(0);
    if (p.peek().kind() != Kind.EOF) throw p.unexpected();
    return new Program(root, p.names);
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private ExpressionException unexpected() {
    Token t = peek();
    String what = t.kind() == Kind.EOF ? "unexpected end of expression" : "unexpected token '" + t.text() + "'";
    return new ExpressionException(what + " at " + ExprLexer.pos(t.pos()));
  }

  private void expect(String op) {
    if (peek().kind() != Kind.OP || !peek().text().equals(op)) {
      Token t = peek();
      String got = t.kind() == Kind.EOF ? "end of expression" : "'" + t.text() + "'";
      throw new ExpressionException("expected '" + op + "' but found " + got + " at " + ExprLexer.pos(t.pos()));
    }
    pos++;
  }

  private boolean isBinaryOperator(Token t) {
    if (t.kind() == Kind.OP) return BINARY.containsKey(t.text());
    return t.kind() == Kind.IDENT && BINARY.containsKey(t.text()) && Character.isLetter(t.text().charAt(0));
  }

  private Node expression(int precedence) {
    Node left = primary();
    while (true) {
      Token t = peek();
      boolean negated = false;
      String opText = t.text();
      // "not in", "not matches", ... are binary operators with the result negated.
      if (t.kind() == Kind.IDENT && t.text().equals("not") && isBinaryOperator(peekAt(1))
          && BINARY.get(peekAt(1).text()).precedence() == 20) {
        negated = true;
        opText = peekAt(1).text();
      } else if (!isBinaryOperator(t)) {
        break;
      }
      Op op = BINARY.get(opText);
      if (op.precedence() < precedence) break;
      pos += negated ? 2 : 1;
      Node right = expression(op.rightAssoc() ? op.precedence() : op.precedence() + 1);
      left = binary(opText, left, right, negated);
    }
    if (precedence == 0 && peek().kind() == Kind.OP && peek().text().equals("?")) {
      pos++;
      Node cond = left;
      Node then = expression(0);
      expect(":");
      Node otherwise = expression(0);
      left = (env, ptr) -> ExprOps.truth(cond.eval(env, ptr), "ternary condition") ? then.eval(env, ptr) : otherwise.eval(env, ptr);
    }
    return left;
  }

  private static Node binary(String op, Node l, Node r, boolean negated) {
    switch (op) {
      case "or":
      case "||":
        return (env, p) -> ExprOps.truth(l.eval(env, p), "'" + op + "'") || ExprOps.truth(r.eval(env, p), "'" + op + "'");
      case "and":
      case "&&":
        return (env, p) -> ExprOps.truth(l.eval(env, p), "'" + op + "'") && ExprOps.truth(r.eval(env, p), "'" + op + "'");
      case "??":
        return (env, p) -> {
          Object v = l.eval(env, p);
          return v != null ? v : r.eval(env, p);
        };
      default:
        if (negated) return (env, p) -> !(Boolean) ExprOps.binary(op, l.eval(env, p), r.eval(env, p));
        return (env, p) -> ExprOps.binary(op, l.eval(env, p), r.eval(env, p));
    }
  }

  private Node primary() {
    Token t = peek();
    if ((t.kind() == Kind.IDENT && t.text().equals("not")) || t.is("!")) {
      pos++;
      Node operand = expression(50);
      String op = t.text();
      return (env, p) -> ExprOps.negate(op, operand.eval(env, p));
    }
    if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
      pos++;
      Node operand = expression(90);
      String op = t.text();
      return (env, p) -> ExprOps.negate(op, operand.eval(env, p));
    }
    if (t.is("(")) {
      pos++;
      Node inner = expression(0);
      expect(")");
      return postfix(inner);
    }
    return postfix(operand());
  }

  private Node operand() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER:
      case STRING:
        Object v = t.value();
        return (env, p) -> v;
      case IDENT:
        return identifier(t);
      case OP:
        switch (t.text()) {
          case "[":
            return array();
          case "{":
            return map();
          case "#":
            if (closureDepth == 0) throw new ExpressionException("'#' used outside a predicate at " + ExprLexer.pos(t.pos()));
            return (env, p) -> p;
          case ".":
            // ".field" inside a predicate is short for "#.field".
            if (closureDepth > 0 && peek().kind() == Kind.IDENT) {
              String name = next().text();
              return (env, p) -> ExprOps.fetch(p, name);
            }
            break;
          default:
            break;
        }
        break;
      default:
        break;
    }
    pos--;
    throw unexpected();
  }

  private Node identifier(Token t) {
    String name = t.text();
    switch (name) {
      case "true":
        return (env, p) -> Boolean.TRUE;
      case "false":
        return (env, p) -> Boolean.FALSE;
      case "nil":
        return (env, p) -> null;
      default:
        break;
    }
    // sprig.fn(...) is a call into Argo's sprig function map.
    if (name.equals("sprig") && peek().is(".") && peekAt(1).kind() == Kind.IDENT && peekAt(2).is("(")) {
      pos++;
      Token fn = next();
      return call("sprig." + fn.text(), fn);
    }
    if (peek().is("(")) return call(name, t);
    names.putIfAbsent(name, t.pos());
    return (env, p) -> env.get(name);
  }

  private Node call(String name, Token at) {
    expect("(");
    if (ExprFunctions.isPredicate(name)) {
      Node subject = expression(0);
      expect(",");
      closureDepth++;
      Node predicate;
      if (peek().is("{")) {
        pos++;
        predicate = expression(0);
        expect("}");
      } else {
        predicate = expression(0);
      }
      closureDepth--;
      expect(")");
      return (env, p) -> ExprFunctions.predicate(name, subject.eval(env, p), el -> predicate.eval(env, el));
    }
    if (!ExprFunctions.exists(name)) {
      throw new ExpressionException("unknown function " + name + " at " + ExprLexer.pos(at.pos()));
    }
    List<Node> args = new ArrayList<>();
    if (!peek().is(")")) {
      do {
        args.add(expression(0));
      } while (peek().is(",") && next() != null);
    }
    expect(")");
    return (env, p) -> {
      List<Object> values = new ArrayList<>(args.size());
      for (Node a : args) values.add(a.eval(env, p));
      return ExprFunctions.call(name, values);
    };
  }

  private Node array() {
    List<Node> items = new ArrayList<>();
    while (!peek().is("]")) {
      items.add(expression(0));
      if (!peek().is(",")) break;
      pos++;
    }
    expect("]");
    return (env, p) -> {
      List<Object> out = new ArrayList<>(items.size());
      for (Node n : items) out.add(n.eval(env, p));
      return out;
    };
  }

  private Node map() {
    List<Node> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    while (!peek().is("}")) {
      Token k = next();
      if (k.kind() == Kind.IDENT || k.kind() == Kind.STRING || k.kind() == Kind.NUMBER) {
        Object key = k.kind() == Kind.STRING ? k.value() : k.text();
        keys.add((env, p) -> key);
      } else if (k.is("(")) {
        Node key = expression(0);
        expect(")");
        keys.add(key);
      } else {
        pos--;
        throw unexpected();
      }
      expect(":");
      values.add(expression(0));
      if (!peek().is(",")) break;
      pos++;
    }
    expect("}");
    return (env, p) -> {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        out.put(Values.goString(keys.get(i).eval(env, p)), values.get(i).eval(env, p));
      }
      return out;
    };
  }

  /** One step of a member chain: {@code .name}, {@code [index]} or {@code [from:to]}, optionally after {@code ?.}. */
  private record Step(boolean optional, Node key, Node to, boolean slice) {}

  private Node postfix(Node base) {
    List<Step> steps = new ArrayList<>();
    while (true) {
      Token t = peek();
      boolean optional = t.is("?.");
      if (t.is(".") || optional) {
        pos++;
        if (optional && peek().is("[")) {
          pos++;
          steps.add(bracket(true));
          continue;
        }
        Token name = next();
        if (name.kind() != Kind.IDENT) {
          pos--;
          throw new ExpressionException("expected a name after '" + t.text() + "' at " + ExprLexer.pos(name.pos()));
        }
        Object key = name.text();
        steps.add(new Step(optional, (env, p) -> key, null, false));
      } else if (t.is("[")) {
        pos++;
        steps.add(bracket(false));
      } else {
        break;
      }
    }
    if (steps.isEmpty()) return base;
    return (env, p) -> {
      Object v = base.eval(env, p);
      for (Step s : steps) {
        // Optional chaining: a nil before "?." makes the whole chain nil.
        if (v == null && s.optional()) return null;
        if (s.slice()) {
          v = ExprOps.slice(v, s.key() == null ? null : s.key().eval(env, p), s.to() == null ? null : s.to().eval(env, p));
        } else {
          v = ExprOps.fetch(v, s.key().eval(env, p));
        }
      }
      return v;
    };
  }

  private Step bracket(boolean optional) {
    Node from = peek().is(":") ? null : expression(0);
    if (peek().is(":")) {
      pos++;
      Node to = peek().is("]") ? null : expression(0);
      expect("]");
      return new Step(optional, from, to, true);
    }
    expect("]");
    return new Step(optional, from, null, false);
  }
}
