/** Argo's two expression languages: govaluate for {@code when}, expr for {@code {{= …}}}. */
package dev.weft.engine.expr;
