package dev.weft.expr;

import dev.weft.expr.ExprSyntax.Binary;
import dev.weft.expr.ExprSyntax.Call;
import dev.weft.expr.ExprSyntax.Cond;
import dev.weft.expr.ExprSyntax.Let;
import dev.weft.expr.ExprSyntax.Node;
import dev.weft.expr.ExprSyntax.Seq;
import dev.weft.expr.ExprSyntax.Unary;
import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent (precedence climbing) parser for the expr language, after expr-lang/expr: the
 * operators, and the statement-like forms (sequences, {@code let}, {@code if}/{@code else}, pipes).
 * Operands (literals, names, calls, member access) are {@link ExprOperandParser}'s.
 */
final class ExprParser {

  /** Builtins whose second argument is a predicate over {@code #}. */
  static final Set<String> PREDICATE_FUNCTIONS =
      Set.of(
          "all",
          "none",
          "any",
          "one",
          "filter",
          "map",
          "count",
          "find",
          "findIndex",
          "findLast",
          "findLastIndex",
          "groupBy",
          "reduce");

  /** Operators spelled as words: not names, wherever they stand. */
  static final Set<String> WORD_OPERATORS =
      Set.of("and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith");

  private record Op(int precedence, boolean rightAssoc) {}

  private static final Map<String, Op> BINARY =
      Map.ofEntries(
          Map.entry("or", new Op(10, false)),
          Map.entry("||", new Op(10, false)),
          Map.entry("and", new Op(15, false)),
          Map.entry("&&", new Op(15, false)),
          Map.entry("==", new Op(20, false)),
          Map.entry("!=", new Op(20, false)),
          Map.entry("<", new Op(20, false)),
          Map.entry(">", new Op(20, false)),
          Map.entry("<=", new Op(20, false)),
          Map.entry(">=", new Op(20, false)),
          Map.entry("in", new Op(20, false)),
          Map.entry("matches", new Op(20, false)),
          Map.entry("contains", new Op(20, false)),
          Map.entry("startsWith", new Op(20, false)),
          Map.entry("endsWith", new Op(20, false)),
          Map.entry("..", new Op(25, false)),
          Map.entry("+", new Op(30, false)),
          Map.entry("-", new Op(30, false)),
          Map.entry("*", new Op(60, false)),
          Map.entry("/", new Op(60, false)),
          Map.entry("%", new Op(60, false)),
          Map.entry("**", new Op(100, true)),
          Map.entry("^", new Op(100, true)),
          Map.entry("??", new Op(500, false)));

  private static final Set<String> ORDERING = Set.of("<", "<=", ">", ">=");

  private static final Set<String> NEGATABLE =
      Set.of("in", "matches", "contains", "startsWith", "endsWith");

  private final TokenCursor in;
  private final ExprOperandParser operands;

  /** Names bound by enclosing {@code let}s. */
  private final java.util.Deque<String> lets = new java.util.ArrayDeque<>();

  private ExprParser(String src) {
    this.in = new TokenCursor(src, Lexer.lex(src, ExprTokens.DIALECT));
    this.operands = new ExprOperandParser(in, this);
  }

  static Node parse(String src) {
    ExprParser p = new ExprParser(src);
    if (p.in.peek().kind() == Kind.EOF) {
      throw new ExpressionException("empty expression '" + src + "'");
    }
    Node n = p.sequence();
    if (p.in.peek().kind() != Kind.EOF) {
      throw p.in.error("unexpected token " + TokenCursor.describe(p.in.peek()), p.in.peek());
    }
    ExprChecker.check(n, src);
    return n;
  }

  private Op binaryOp(Token t) {
    if (t.kind() == Kind.OP || (t.kind() == Kind.IDENT && WORD_OPERATORS.contains(t.text()))) {
      return BINARY.get(t.text());
    }
    return null;
  }

  Node expression(int minPrec) {
    Node left = unary();
    String prev = "";
    Node lastOrderingRight = null;
    while (true) {
      Token opTok = in.peek();
      boolean negate = false;
      if (opTok.kind() == Kind.IDENT && opTok.text().equals("not")) {
        Token after = in.peekAt(1);
        if (after.kind() == Kind.IDENT && NEGATABLE.contains(after.text())) {
          if (BINARY.get(after.text()).precedence < minPrec) {
            break;
          }
          negate = true;
          in.next();
          opTok = in.peek();
        } else {
          throw in.error(
              "unexpected token 'not' (only 'not in', 'not matches', 'not contains',"
                  + " 'not startsWith', 'not endsWith' may follow an operand)",
              opTok);
        }
      }
      Op op = binaryOp(opTok);
      if (op == null || op.precedence < minPrec) {
        break;
      }
      in.next();
      if (prev.equals("??") && !opTok.text().equals("??")) {
        throw in.error(
            "operator '"
                + opTok.text()
                + "' and coalesce expressions (??) cannot be mixed;"
                + " wrap either in parentheses",
            opTok);
      }
      Node right = expression(op.rightAssoc ? op.precedence : op.precedence + 1);
      if (ORDERING.contains(opTok.text()) && lastOrderingRight != null) {
        // a < b < c means a < b && b < c, as in expr
        left =
            new Binary(
                "&&",
                left,
                new Binary(opTok.text(), lastOrderingRight, right, opTok.pos()),
                opTok.pos());
      } else {
        left = new Binary(opTok.text(), left, right, opTok.pos());
      }
      lastOrderingRight = ORDERING.contains(opTok.text()) ? right : null;
      if (negate) {
        left = new Unary("not", left, opTok.pos());
      }
      prev = opTok.text();
    }
    if (minPrec == 0 && in.peek().is("?")) {
      in.next();
      Node then = expression(0);
      in.expect(":");
      Node otherwise = expression(0);
      return new Cond(left, then, otherwise);
    }
    return left;
  }

  private Node unary() {
    Token t = in.peek();
    if (t.kind() == Kind.IDENT && t.text().equals("if") && !in.peekAt(1).is("(")) {
      return ifElse();
    }
    if (t.kind() == Kind.IDENT && t.text().equals("let")) {
      return let();
    }
    if (t.is("not") || t.is("!")) {
      in.next();
      return new Unary("not", expression(50), t.pos());
    }
    if (t.is("-") || t.is("+")) {
      in.next();
      return new Unary(t.text(), expression(90), t.pos());
    }
    return operands.postfix(operands.primary());
  }

  /** {@code a; b; c} (expr v1.17): the value of the last; {@code let} binds for the rest. */
  private Node sequence() {
    List<Node> items = new ArrayList<>();
    while (true) {
      if (in.peek().kind() == Kind.IDENT && in.peek().text().equals("let")) {
        items.add(let());
        break;
      }
      items.add(pipeline());
      if (!in.peek().is(";")) break;
      in.next();
    }
    return items.size() == 1 ? items.get(0) : new Seq(items);
  }

  Node let() {
    Token kw = in.next();
    Token name = in.next();
    if (name.kind() != Kind.IDENT) throw in.error("let needs a name", name);
    if (ExprFunctions.exists(name.text()))
      throw in.error("cannot redeclare builtin " + name.text(), name);
    if (lets.contains(name.text()))
      throw in.error("cannot redeclare variable " + name.text(), name);
    in.expect("=");
    Node value = pipeline();
    in.expect(";");
    lets.push(name.text());
    try {
      return new Let(name.text(), value, sequence());
    } finally {
      lets.pop();
    }
  }

  /** {@code if cond { a } else { b }} (expr v1.17), {@code else if} chains included. */
  Node ifElse() {
    in.next();
    Node cond = pipeline();
    in.expect("{");
    Node then = sequence();
    in.expect("}");
    Token e = in.next();
    if (!e.text().equals("else")) throw in.error("if needs an else branch", e);
    Node otherwise;
    if (in.peek().text().equals("if")) {
      otherwise = ifElse();
    } else {
      in.expect("{");
      otherwise = sequence();
      in.expect("}");
    }
    return new Cond(cond, then, otherwise);
  }

  /** expr's pipes: {@code a | f(b)} is {@code f(a, b)}, loosest of all operators. */
  Node pipeline() {
    Node left = expression(0);
    while (in.peek().is("|")) {
      in.next();
      Token fn = in.next();
      if (fn.kind() != Kind.IDENT || !in.peek().is("("))
        throw in.error("a pipe must be followed by a function call", fn);
      in.next();
      if (PREDICATE_FUNCTIONS.contains(fn.text())) {
        left = operands.predicateCall(fn, left);
      } else {
        List<Node> args = new ArrayList<>();
        args.add(left);
        args.addAll(operands.arguments());
        left = new Call(fn.text(), args, fn.pos());
      }
    }
    return left;
  }
}
