package dev.weft.expr;

import dev.weft.expr.ExprSyntax.Call;
import dev.weft.expr.ExprSyntax.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * expr's builtins that take a predicate ({@code filter(list, {# > 1})}): the body runs once per
 * element, with {@code #} bound by the {@link ExprInterpreter}.
 */
final class ExprClosures {
  private final ExprInterpreter in;

  ExprClosures(ExprInterpreter in) {
    this.in = in;
  }

  /** Runs {@code call}, whose second argument is the predicate {@code body}, over a collection. */
  Object call(Call call, Object collection, Node body) {
    return switch (call.name()) {
      case "reduce", "groupBy", "findLast", "findLastIndex" -> folds(call, collection, body);
      default -> predicate(call, collection, body);
    };
  }

  /**
   * expr v1.17's reduce (#acc, optional initial value), groupBy, findLast, findLastIndex and sum
   * with a predicate.
   */
  Object folds(Call call, Object collection, Node body) {
    if (!(collection instanceof List<?> list)) {
      throw in.error(
          "builtin " + call.name() + " takes only array (got " + Values.typeName(collection) + ")",
          call.pos());
    }
    Map<String, Object> groups = new LinkedHashMap<>();
    boolean hasInit = call.args().size() > 2;
    Object acc = hasInit ? in.eval(call.args().get(2)) : null;
    int from = call.name().startsWith("findLast") ? list.size() - 1 : 0;
    int step = call.name().startsWith("findLast") ? -1 : 1;
    Object total = 0L;
    for (int k = from; k >= 0 && k < list.size(); k += step) {
      Object item = Values.normalize(list.get(k));
      if (call.name().equals("reduce") && !hasInit && k == 0) {
        acc = item;
        continue;
      }
      in.accumulator = acc;
      Object v = in.evalFor(item, body);
      switch (call.name()) {
        case "reduce" -> acc = v;
        case "groupBy" -> {
          @SuppressWarnings("unchecked")
          List<Object> g =
              (List<Object>)
                  groups.computeIfAbsent(
                      v == null ? "<nil>" : Values.display(v), x -> new ArrayList<Object>());
          g.add(item);
        }
        case "sum" -> {
          if (!(v instanceof Long || v instanceof Double))
            throw in.error(
                "sum: predicate must return a number, got " + Values.typeName(v), call.pos());
          total =
              total instanceof Long a && v instanceof Long b
                  ? (Object) (a + b)
                  : (Object) (((Number) total).doubleValue() + ((Number) v).doubleValue());
        }
        default -> {
          if (Boolean.TRUE.equals(v))
            return call.name().equals("findLast") ? item : (Object) (long) k;
        }
      }
    }
    return switch (call.name()) {
      case "reduce" -> acc;
      case "groupBy" -> groups;
      case "sum" -> total;
      case "findLast" -> null;
      default -> -1L;
    };
  }

  /** Runs a predicate builtin (filter, map, all, ...) over a list. */
  Object predicate(Call call, Object collection, Node body) {
    if (!(collection instanceof List<?> list)) {
      throw in.error(
          call.name() + ": argument 1 must be an array, got " + Values.typeName(collection),
          call.pos());
    }
    List<Object> out = new ArrayList<>();
    long matches = 0;
    for (int k = 0; k < list.size(); k++) {
      Object item = Values.normalize(list.get(k));
      Object v = in.evalFor(item, body);
      if (call.name().equals("map")) {
        out.add(v);
        continue;
      }
      if (!(v instanceof Boolean ok)) {
        throw in.error(
            call.name() + ": predicate must return bool, got " + Values.typeName(v), call.pos());
      }
      if (!ok) {
        continue;
      }
      matches++;
      switch (call.name()) {
        case "any":
          return true;
        case "none":
          return false;
        case "find":
          return item;
        case "findIndex":
          return (long) k;
        case "filter":
          out.add(item);
          break;
        default:
          break;
      }
    }
    return switch (call.name()) {
      case "all" -> matches == list.size();
      case "any" -> false;
      case "none" -> true;
      case "one" -> matches == 1;
      case "count" -> matches;
      case "find" -> null;
      case "findIndex" -> -1L;
      default -> out; // filter, map
    };
  }
}
