package dev.weft.expr;

import dev.weft.expr.ExprSyntax.ArrayLit;
import dev.weft.expr.ExprSyntax.Call;
import dev.weft.expr.ExprSyntax.Chain;
import dev.weft.expr.ExprSyntax.Closure;
import dev.weft.expr.ExprSyntax.Ident;
import dev.weft.expr.ExprSyntax.Lit;
import dev.weft.expr.ExprSyntax.MapLit;
import dev.weft.expr.ExprSyntax.Member;
import dev.weft.expr.ExprSyntax.Node;
import dev.weft.expr.ExprSyntax.Slice;
import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * The operands of the expr language: literals, names, function calls (predicate builtins with their
 * closures included) and member access, index and slices after them. Whole expressions inside them
 * are the {@link ExprParser}'s, over the same tokens.
 */
final class ExprOperandParser {
  private final TokenCursor in;
  private final ExprParser parser;

  /** How many predicates enclose the current token: {@code #} and {@code .name} need one. */
  private int closureDepth;

  ExprOperandParser(TokenCursor in, ExprParser parser) {
    this.in = in;
    this.parser = parser;
  }

  Node primary() {
    Token t = in.next();
    switch (t.kind()) {
      case NUMBER:
      case STRING:
        return new Lit(t.value());
      case IDENT:
        return identifier(t);
      case EOF:
        throw in.error("unexpected end of expression", t);
      default:
        break;
    }
    switch (t.text()) {
      case "." -> {
        // inside a predicate `.name` is short for `#.name`
        Token field = in.next();
        if (closureDepth == 0 || field.kind() != Kind.IDENT) {
          throw in.error("unexpected token " + TokenCursor.describe(t), t);
        }
        return new Member(new Ident("#", t.pos()), new Lit(field.text()), false, field.pos());
      }
      case "(" -> {
        Node inner = parser.expression(0);
        in.expect(")");
        return inner;
      }
      case "[" -> {
        List<Node> items = new ArrayList<>();
        while (!in.peek().is("]")) {
          items.add(parser.expression(0));
          if (!in.peek().is("]")) {
            in.expect(",");
          }
        }
        in.next();
        return new ArrayLit(items);
      }
      case "{" -> {
        List<Node> keys = new ArrayList<>();
        List<Node> values = new ArrayList<>();
        while (!in.peek().is("}")) {
          Token k = in.next();
          if (k.kind() == Kind.IDENT || k.kind() == Kind.STRING) {
            keys.add(new Lit(k.value()));
          } else if (k.kind() == Kind.NUMBER) {
            keys.add(new Lit(k.text()));
          } else if (k.is("(")) {
            keys.add(parser.expression(0));
            in.expect(")");
          } else {
            throw in.error(
                "a map key must be a name, string or number, not " + TokenCursor.describe(k), k);
          }
          in.expect(":");
          values.add(parser.expression(0));
          if (!in.peek().is("}")) {
            in.expect(",");
          }
        }
        in.next();
        return new MapLit(keys, values);
      }
      default -> throw in.error("unexpected token " + TokenCursor.describe(t), t);
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
    if (ExprParser.WORD_OPERATORS.contains(t.text())) {
      throw in.error("unexpected operator '" + t.text() + "'", t);
    }
    if (t.text().equals("sprig")
        && in.peek().is(".")
        && in.peekAt(1).kind() == Kind.IDENT
        && in.peekAt(2).is("(")) {
      in.next();
      Token fn = in.next();
      in.next();
      return new Call("sprig." + fn.text(), arguments(), t.pos());
    }
    if (in.peek().is("(")) {
      in.next();
      if (ExprParser.PREDICATE_FUNCTIONS.contains(t.text())) {
        return predicateCall(t);
      }
      return new Call(t.text(), arguments(), t.pos());
    }
    if (t.text().startsWith("#") && closureDepth == 0) {
      throw in.error("'#' may only be used inside a predicate such as filter(list, {# > 1})", t);
    }
    return new Ident(t.text(), t.pos());
  }

  /** {@code name(collection, predicate)} where the predicate may be wrapped in braces. */
  private Node predicateCall(Token name) {
    return predicateCall(name, null);
  }

  /**
   * @param piped the collection given by a pipe, or null when it is the first argument
   */
  Node predicateCall(Token name, Node piped) {
    Node collection = piped != null ? piped : parser.expression(0);
    if (piped != null && in.peek().is(")")) {
      in.next();
      return new Call(name.text(), List.of(collection), name.pos());
    }
    if (piped != null) {
      return closure(name, collection);
    }
    if (in.peek().is(")")
        && !name.text().equals("reduce")) { // sum(list), count(list): no predicate
      in.next();
      return new Call(name.text(), List.of(collection), name.pos());
    }
    in.expect(",");
    return closure(name, collection);
  }

  private Node closure(Token name, Node collection) {
    closureDepth++;
    Node body;
    if (in.peek().is("{")) {
      in.next();
      body = parser.expression(0);
      in.expect("}");
    } else {
      body = parser.expression(0);
    }
    closureDepth--;
    List<Node> args = new ArrayList<>(List.of(collection, new Closure(body)));
    if (in.peek().is(",")) { // reduce's initial value, sortBy's order
      in.next();
      args.add(parser.expression(0));
    }
    in.expect(")");
    return new Call(name.text(), args, name.pos());
  }

  /** Arguments after the opening parenthesis, up to and including the closing one. */
  List<Node> arguments() {
    List<Node> args = new ArrayList<>();
    while (!in.peek().is(")")) {
      args.add(parser.pipeline());
      if (!in.peek().is(")")) {
        in.expect(",");
      }
    }
    in.next();
    return args;
  }

  Node postfix(Node node) {
    boolean optionalSeen = false;
    while (true) {
      Token t = in.peek();
      if (t.is(".") || t.is("?.")) {
        in.next();
        boolean optional = t.is("?.");
        optionalSeen |= optional;
        if (optional && in.peek().is("[")) {
          in.next();
          node = index(node, true, t);
          continue;
        }
        Token name = in.next();
        if (name.kind() != Kind.IDENT) {
          throw in.error(
              "expected a field name after '"
                  + t.text()
                  + "' but found "
                  + TokenCursor.describe(name),
              name);
        }
        if (in.peek().is("(")) {
          throw in.error("method calls like '." + name.text() + "(...)' are not supported", name);
        }
        node = new Member(node, new Lit(name.text()), optional, name.pos());
      } else if (t.is("[")) {
        in.next();
        node = index(node, false, t);
      } else {
        break;
      }
    }
    return optionalSeen ? new Chain(node) : node;
  }

  /** After '[': an index, a key or a slice {@code [from:to]}. */
  private Node index(Node obj, boolean optional, Token open) {
    if (in.peek().is(":")) {
      in.next();
      Node to = in.peek().is("]") ? null : parser.expression(0);
      in.expect("]");
      return new Slice(obj, null, to, open.pos());
    }
    Node key = parser.expression(0);
    if (in.peek().is(":")) {
      in.next();
      Node to = in.peek().is("]") ? null : parser.expression(0);
      in.expect("]");
      return new Slice(obj, key, to, open.pos());
    }
    in.expect("]");
    return new Member(obj, key, optional, open.pos());
  }
}
