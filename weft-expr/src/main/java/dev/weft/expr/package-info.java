/**
 * Argo's two expression languages, hand-written so the engine needs no Go and no script engine.
 *
 * <ul>
 *   <li>{@link dev.weft.expr.Govaluate} — {@code when:} conditions in govaluate's grammar, with
 *       bare names taken as strings as Argo's controller does ({@code heads == heads}).
 *   <li>{@link dev.weft.expr.Expr} — the expr language of {@code {{= … }}} tags, with Argo's
 *       functions (asInt, asFloat, toJson, jsonpath, sprig.*) and expr's predicates over {@code #}
 *       (map, filter, all, any, ...).
 *   <li>{@link dev.weft.expr.Templates} — renders {@code {{ name }}} and {@code {{= expr }}} tags
 *       and lists the names a text refers to.
 * </ul>
 *
 * <p>Every failure is an {@link dev.weft.expr.ExpressionException} naming the expression and what
 * was wrong with it.
 */
package dev.weft.expr;
