package dev.weft.expr;

import java.util.List;

/**
 * The expr language's syntax tree, as {@link ExprParser} builds it and {@link ExprInterpreter} runs
 * it. Positions are 0-based offsets into the expression text.
 */
final class ExprSyntax {
  private ExprSyntax() {}

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

  record MapLit(List<Node> keys, List<Node> values) implements Node {}
}
