package dev.weft.expr;

import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Recursive-descent (precedence climbing) parser for the expr language, after expr-lang/expr. */
final class ExprParser {

  /** Syntax tree. Positions are 0-based offsets into the expression text. */
  sealed interface Node {}

  record Lit(Object value) implements Node {}

  record Ident(String name, int pos) implements Node {}

  /** {@code obj.key}, {@code obj[key]}; optional for {@code ?.}. */
  record Member(Node obj, Node key, boolean optional, int pos) implements Node {}

  record Slice(Node obj, Node from, Node to, int pos) implements Node {}

  /** A postfix chain holding at least one {@code ?.}: a nil there makes the whole chain nil. */
  record Chain(Node inner) implements Node {}

  record Unary(String op, Node operand, int pos) implements Node {}

  record Binary(String op, Node left, Node right, int pos) implements Node {}

  record Cond(Node cond, Node then, Node otherwise) implements Node {}

  /** {@code let name = value; body}. */
  record Let(String name, Node value, Node body) implements Node {}

  /** {@code a; b; c}: each in turn, the value of the last. */
  record Seq(List<Node> items) implements Node {}

  record Call(String name, List<Node> args, int pos) implements Node {}

  record ArrayLit(List<Node> items) implements Node {}

  /** A predicate argument ({@code {# > 1}} or {@code # > 1}), run once per element. */
  record Closure(Node body) implements Node {}

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

  record MapLit(List<Node> keys, List<Node> values) implements Node {}

  private static final Set<String> WORD_OPERATORS =
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

  private final String src;
  private final List<Token> tokens;
  private int i;
  private int closureDepth;

  /** Names bound by enclosing {@code let}s. */
  private final java.util.Deque<String> lets = new java.util.ArrayDeque<>();

  private ExprParser(String src) {
    this.src = src;
    this.tokens = Lexer.lex(src, ExprTokens.DIALECT);
  }

  static Node parse(String src) {
    ExprParser p = new ExprParser(src);
    if (p.peek().kind() == Kind.EOF) {
      throw new ExpressionException("empty expression '" + src + "'");
    }
    Node n = p.sequence();
    if (p.peek().kind() != Kind.EOF) {
      throw p.error("unexpected token " + describe(p.peek()), p.peek());
    }
    ExprChecker.check(n, src);
    return n;
  }

  // ---- parser ----

  private Token peek() {
    return tokens.get(i);
  }

  private Token peekAt(int k) {
    return tokens.get(Math.min(i + k, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  private Token expect(String op) {
    Token t = peek();
    if (t.kind() != Kind.OP || !t.text().equals(op)) {
      throw error("expected '" + op + "' but found " + describe(t), t);
    }
    return next();
  }

  private static String describe(Token t) {
    return t.kind() == Kind.EOF ? "end of expression" : "'" + t.text() + "'";
  }

  private ExpressionException error(String what, Token t) {
    return new ExpressionException(what + " at position " + (t.pos() + 1) + " in '" + src + "'");
  }

  private Op binaryOp(Token t) {
    if (t.kind() == Kind.OP || (t.kind() == Kind.IDENT && WORD_OPERATORS.contains(t.text()))) {
      return BINARY.get(t.text());
    }
    return null;
  }

  private Node expression(int minPrec) {
    Node left = unary();
    String prev = "";
    Node lastOrderingRight = null;
    while (true) {
      Token opTok = peek();
      boolean negate = false;
      if (opTok.kind() == Kind.IDENT && opTok.text().equals("not")) {
        Token after = peekAt(1);
        if (after.kind() == Kind.IDENT && NEGATABLE.contains(after.text())) {
          if (BINARY.get(after.text()).precedence < minPrec) {
            break;
          }
          negate = true;
          next();
          opTok = peek();
        } else {
          throw error(
              "unexpected token 'not' (only 'not in', 'not matches', 'not contains',"
                  + " 'not startsWith', 'not endsWith' may follow an operand)",
              opTok);
        }
      }
      Op op = binaryOp(opTok);
      if (op == null || op.precedence < minPrec) {
        break;
      }
      next();
      if (prev.equals("??") && !opTok.text().equals("??")) {
        throw error(
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
    if (minPrec == 0 && peek().is("?")) {
      next();
      Node then = expression(0);
      expect(":");
      Node otherwise = expression(0);
      return new Cond(left, then, otherwise);
    }
    return left;
  }

  private Node unary() {
    Token t = peek();
    if (t.kind() == Kind.IDENT && t.text().equals("if") && !peekAt(1).is("(")) {
      return ifElse();
    }
    if (t.kind() == Kind.IDENT && t.text().equals("let")) {
      return let();
    }
    if (t.is("not") || t.is("!")) {
      next();
      return new Unary("not", expression(50), t.pos());
    }
    if (t.is("-") || t.is("+")) {
      next();
      return new Unary(t.text(), expression(90), t.pos());
    }
    return postfix(primary());
  }

  private Node primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER:
      case STRING:
        return new Lit(t.value());
      case IDENT:
        return identifier(t);
      case EOF:
        throw error("unexpected end of expression", t);
      default:
        break;
    }
    switch (t.text()) {
      case "." -> {
        // inside a predicate `.name` is short for `#.name`
        Token field = next();
        if (closureDepth == 0 || field.kind() != Kind.IDENT) {
          throw error("unexpected token " + describe(t), t);
        }
        return new Member(new Ident("#", t.pos()), new Lit(field.text()), false, field.pos());
      }
      case "(" -> {
        Node inner = expression(0);
        expect(")");
        return inner;
      }
      case "[" -> {
        List<Node> items = new ArrayList<>();
        while (!peek().is("]")) {
          items.add(expression(0));
          if (!peek().is("]")) {
            expect(",");
          }
        }
        next();
        return new ArrayLit(items);
      }
      case "{" -> {
        List<Node> keys = new ArrayList<>();
        List<Node> values = new ArrayList<>();
        while (!peek().is("}")) {
          Token k = next();
          if (k.kind() == Kind.IDENT || k.kind() == Kind.STRING) {
            keys.add(new Lit(k.value()));
          } else if (k.kind() == Kind.NUMBER) {
            keys.add(new Lit(k.text()));
          } else if (k.is("(")) {
            keys.add(expression(0));
            expect(")");
          } else {
            throw error("a map key must be a name, string or number, not " + describe(k), k);
          }
          expect(":");
          values.add(expression(0));
          if (!peek().is("}")) {
            expect(",");
          }
        }
        next();
        return new MapLit(keys, values);
      }
      default -> throw error("unexpected token " + describe(t), t);
    }
  }

  private Node identifier(Token t) {
    switch (t.text()) {
      case "true":
        return new Lit(Boolean.TRUE);
      case "false":
        return new Lit(Boolean.FALSE);
      case "nil":
        return new Lit(null);
      default:
        break;
    }
    if (WORD_OPERATORS.contains(t.text())) {
      throw error("unexpected operator '" + t.text() + "'", t);
    }
    if (t.text().equals("sprig")
        && peek().is(".")
        && peekAt(1).kind() == Kind.IDENT
        && peekAt(2).is("(")) {
      next();
      Token fn = next();
      next();
      return new Call("sprig." + fn.text(), arguments(), t.pos());
    }
    if (peek().is("(")) {
      next();
      if (PREDICATE_FUNCTIONS.contains(t.text())) {
        return predicateCall(t);
      }
      return new Call(t.text(), arguments(), t.pos());
    }
    if (t.text().startsWith("#") && closureDepth == 0) {
      throw error("'#' may only be used inside a predicate such as filter(list, {# > 1})", t);
    }
    return new Ident(t.text(), t.pos());
  }

  /** {@code a; b; c} (expr v1.17): the value of the last; {@code let} binds for the rest. */
  private Node sequence() {
    List<Node> items = new ArrayList<>();
    while (true) {
      if (peek().kind() == Kind.IDENT && peek().text().equals("let")) {
        items.add(let());
        break;
      }
      items.add(pipeline());
      if (!peek().is(";")) break;
      next();
    }
    return items.size() == 1 ? items.get(0) : new Seq(items);
  }

  private Node let() {
    Token kw = next();
    Token name = next();
    if (name.kind() != Kind.IDENT) throw error("let needs a name", name);
    if (ExprFunctions.exists(name.text()))
      throw error("cannot redeclare builtin " + name.text(), name);
    if (lets.contains(name.text())) throw error("cannot redeclare variable " + name.text(), name);
    expect("=");
    Node value = pipeline();
    expect(";");
    lets.push(name.text());
    try {
      return new Let(name.text(), value, sequence());
    } finally {
      lets.pop();
    }
  }

  /** {@code if cond { a } else { b }} (expr v1.17), {@code else if} chains included. */
  private Node ifElse() {
    next();
    Node cond = pipeline();
    expect("{");
    Node then = sequence();
    expect("}");
    Token e = next();
    if (!e.text().equals("else")) throw error("if needs an else branch", e);
    Node otherwise;
    if (peek().text().equals("if")) {
      otherwise = ifElse();
    } else {
      expect("{");
      otherwise = sequence();
      expect("}");
    }
    return new Cond(cond, then, otherwise);
  }

  /** expr's pipes: {@code a | f(b)} is {@code f(a, b)}, loosest of all operators. */
  private Node pipeline() {
    Node left = expression(0);
    while (peek().is("|")) {
      next();
      Token fn = next();
      if (fn.kind() != Kind.IDENT || !peek().is("("))
        throw error("a pipe must be followed by a function call", fn);
      next();
      if (PREDICATE_FUNCTIONS.contains(fn.text())) {
        left = predicateCall(fn, left);
      } else {
        List<Node> args = new ArrayList<>();
        args.add(left);
        args.addAll(arguments());
        left = new Call(fn.text(), args, fn.pos());
      }
    }
    return left;
  }

  /** {@code name(collection, predicate)} where the predicate may be wrapped in braces. */
  private Node predicateCall(Token name) {
    return predicateCall(name, null);
  }

  /**
   * @param piped the collection given by a pipe, or null when it is the first argument
   */
  private Node predicateCall(Token name, Node piped) {
    Node collection = piped != null ? piped : expression(0);
    if (piped != null && peek().is(")")) {
      next();
      return new Call(name.text(), List.of(collection), name.pos());
    }
    if (piped != null) {
      return closure(name, collection);
    }
    if (peek().is(")") && !name.text().equals("reduce")) { // sum(list), count(list): no predicate
      next();
      return new Call(name.text(), List.of(collection), name.pos());
    }
    expect(",");
    return closure(name, collection);
  }

  private Node closure(Token name, Node collection) {
    closureDepth++;
    Node body;
    if (peek().is("{")) {
      next();
      body = expression(0);
      expect("}");
    } else {
      body = expression(0);
    }
    closureDepth--;
    List<Node> args = new ArrayList<>(List.of(collection, new Closure(body)));
    if (peek().is(",")) { // reduce's initial value, sortBy's order
      next();
      args.add(expression(0));
    }
    expect(")");
    return new Call(name.text(), args, name.pos());
  }

  /** Arguments after the opening parenthesis, up to and including the closing one. */
  private List<Node> arguments() {
    List<Node> args = new ArrayList<>();
    while (!peek().is(")")) {
      args.add(pipeline());
      if (!peek().is(")")) {
        expect(",");
      }
    }
    next();
    return args;
  }

  private Node postfix(Node node) {
    boolean optionalSeen = false;
    while (true) {
      Token t = peek();
      if (t.is(".") || t.is("?.")) {
        next();
        boolean optional = t.is("?.");
        optionalSeen |= optional;
        if (optional && peek().is("[")) {
          next();
          node = index(node, true, t);
          continue;
        }
        Token name = next();
        if (name.kind() != Kind.IDENT) {
          throw error(
              "expected a field name after '" + t.text() + "' but found " + describe(name), name);
        }
        if (peek().is("(")) {
          throw error("method calls like '." + name.text() + "(...)' are not supported", name);
        }
        node = new Member(node, new Lit(name.text()), optional, name.pos());
      } else if (t.is("[")) {
        next();
        node = index(node, false, t);
      } else {
        break;
      }
    }
    return optionalSeen ? new Chain(node) : node;
  }

  /** After '[': an index, a key or a slice {@code [from:to]}. */
  private Node index(Node obj, boolean optional, Token open) {
    if (peek().is(":")) {
      next();
      Node to = peek().is("]") ? null : expression(0);
      expect("]");
      return new Slice(obj, null, to, open.pos());
    }
    Node key = expression(0);
    if (peek().is(":")) {
      next();
      Node to = peek().is("]") ? null : expression(0);
      expect("]");
      return new Slice(obj, key, to, open.pos());
    }
    expect("]");
    return new Member(obj, key, optional, open.pos());
  }
}
