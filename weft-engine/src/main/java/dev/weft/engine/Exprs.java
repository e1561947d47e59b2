package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.expr.Expr;
import dev.weft.expr.ExpressionException;
import dev.weft.expr.Govaluate;
import dev.weft.expr.Templates;
import java.util.Iterator;
import java.util.Map;

/**
 * The engine's one door to Argo's expression languages: {@code {{…}}} substitution, {@code when},
 * {@code expression}.
 */
final class Exprs {
  private Exprs() {}

  /**
   * A {@code {{…}}} reference without a value, or an expression that cannot be evaluated; the
   * message says which.
   */
  static final class Unresolved extends RuntimeException {
    Unresolved(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Substitutes {@code {{name}}} and {@code {{= expr}}}; unknown names fail when strict, else stay
   * as they are.
   */
  static String render(String text, Map<String, String> vars, boolean strict) {
    if (text.indexOf("{{") < 0) return text;
    String out;
    try {
      if (text.indexOf("{{=") < 0) {
        out = Templates.render(text, vars, strict);
      } else {
        // Simple tags first, with every variable; then expressions over the variables without the
        // JSON summaries (inputs.parameters, a loop's outputs.parameters) that share a prefix with
        // the single values, so inputs.parameters.n is a map lookup in an expression. In both
        // passes an absent optional is nil to expressions, so `?? fallback` applies.
        out =
            Templates.render(
                Templates.render(text, absentAsNil(vars), false), withoutSummaries(vars), strict);
      }
    } catch (ExpressionException e) {
      if (strict && mentionsAbsent(text, vars)) throw new Unresolved(absentMessage(text, vars));
      throw new Unresolved(e.getMessage());
    }
    if (strict && out.contains(Scope.ABSENT)) throw new Unresolved(absentMessage(text, vars));
    return out;
  }

  private static Map<String, String> absentAsNil(Map<String, String> vars) {
    if (!vars.containsValue(Scope.ABSENT)) return vars;
    Map<String, String> out = new java.util.HashMap<>(vars);
    out.replaceAll((k, v) -> Scope.ABSENT.equals(v) ? null : v);
    return out;
  }

  private static boolean mentionsAbsent(String text, Map<String, String> vars) {
    return !absentMessage(text, vars).contains("{{…}}");
  }

  /**
   * The variable a pure reference ({@code {{name}}} and nothing else) names, if {@code raw} is one.
   */
  static java.util.Optional<String> pureReference(String raw) {
    String t = raw.trim();
    if (!t.startsWith("{{") || !t.endsWith("}}") || t.indexOf("{{", 2) >= 0 || t.startsWith("{{="))
      return java.util.Optional.empty();
    return java.util.Optional.of(t.substring(2, t.length() - 2).trim());
  }

  /**
   * Argo's wording (util/template/simple_template.go) for a tag whose value is an absent optional.
   */
  private static String absentMessage(String text, Map<String, String> vars) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\{\\{\\s*([^{}=][^{}]*?)\\s*}}").matcher(text);
    String tag = "…";
    while (m.find()) {
      if (Scope.ABSENT.equals(vars.get(m.group(1)))) {
        tag = m.group(1);
        break;
      }
    }
    return "unable to substitute {{"
        + tag
        + "}}: output is an absent optional (skipped/omitted node with no default)";
  }

  /** Renders every string in a JSON tree (a template's {@code plugin.wasm} block), strictly. */
  static JsonNode renderJson(JsonNode n, Map<String, String> vars) {
    if (n.isTextual()) return TextNode.valueOf(render(n.asText(), vars, true));
    if (n.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(e.getKey(), renderJson(e.getValue(), vars));
      }
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      n.forEach(x -> a.add(renderJson(x, vars)));
      return a;
    }
    return n;
  }

  private static Map<String, String> withoutSummaries(Map<String, String> vars) {
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>(vars);
    Map<String, String> out = new java.util.HashMap<>(vars);
    for (String k : sorted.keySet()) {
      String next = sorted.higherKey(k + ".");
      if (next != null && next.startsWith(k + ".")) out.remove(k);
    }
    out.replaceAll(
        (k, v) ->
            Scope.ABSENT.equals(v)
                ? null
                : v); // an absent optional is nil in an expression (?? falls back)
    return out;
  }

  /** Argo's {@code when}: govaluate, bare words as strings. */
  static boolean when(String expr) {
    try {
      return Govaluate.evaluateCondition(expr);
    } catch (ExpressionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** An expr-lang expression over the variables ({@code retryStrategy.expression}). */
  static Object evaluate(String expr, Map<String, String> vars) {
    try {
      return Expr.evaluate(expr, Expr.nest(vars));
    } catch (ExpressionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
