package dev.weft.expr;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The functions expressions may call: one table of {@link Builtin}s (expr's, Argo's additions and
 * sprig.*), from which the names, the arity checks and the unknown-function message all derive. The
 * predicate functions (filter, map, all, ...) take a closure and are run by the interpreter.
 */
final class ExprFunctions {

  /** A function failed; the caller adds the position and expression text. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** The table, sorted by name (so the names list in messages is sorted too). */
  private static final Map<String, Builtin> TABLE =
      index(
          Stream.of(
              TextFunctions.all(),
              NumberFunctions.all(),
              CollectionFunctions.all(),
              ArrayFunctions.all(),
              SprigFunctions.all(),
              SprigText.all()));

  private ExprFunctions() {}

  private static Map<String, Builtin> index(Stream<List<Builtin>> groups) {
    Map<String, Builtin> table = new TreeMap<>();
    groups
        .flatMap(List::stream)
        .forEach(
            f -> {
              if (table.put(f.name(), f) != null) {
                throw new IllegalStateException("function " + f.name() + " is defined twice");
              }
            });
    return Collections.unmodifiableMap(table);
  }

  /** Every function in the table, by name. */
  static Map<String, Builtin> table() {
    return TABLE;
  }

  static boolean exists(String name) {
    return TABLE.containsKey(name) || ExprParser.PREDICATE_FUNCTIONS.contains(name);
  }

  static Object call(String name, List<Object> args) {
    Builtin f = TABLE.get(name);
    if (f == null) {
      throw unknown(name);
    }
    return f.call(args);
  }

  private static Failure unknown(String name) {
    if (!name.startsWith("sprig.")) {
      return new Failure("unknown function " + name);
    }
    List<String> sprig = TABLE.keySet().stream().filter(n -> n.startsWith("sprig.")).toList();
    return new Failure(
        "unknown function "
            + name
            + " (supported sprig functions: "
            + String.join(", ", sprig)
            + ")");
  }
}
