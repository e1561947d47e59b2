package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The function table: arity errors, names and the unknown-function message all come from it. */
class ExprFunctionsTest {

  static Stream<Builtin> functions() {
    return ExprFunctions.table().values().stream();
  }

  /** A call with {@code n} string arguments, as an expression. */
  private static String call(String name, int n) {
    return name + "(" + String.join(", ", Collections.nCopies(n, "'x'")) + ")";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void oneArgumentTooManyIsAnArityErrorNamingTheFunctionAndBothCounts(Builtin f) {
    if (f.arity().max() == Arity.VARIADIC) {
      return;
    }
    int n = f.arity().max() + 1;
    assertThatThrownBy(() -> Expr.evaluate(call(f.name(), n), Map.of()))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "wrong number of arguments for "
                + f.name()
                + ": got "
                + n
                + ", want "
                + f.arity().describe()
                + " at position 1 in '"
                + call(f.name(), n)
                + "'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void oneArgumentTooFewIsAnArityError(Builtin f) {
    if (f.arity().min() == 0) {
      return;
    }
    int n = f.arity().min() - 1;
    assertThatThrownBy(
            () -> ExprFunctions.call(f.name(), new ArrayList<>(Collections.nCopies(n, "x"))))
        .isInstanceOf(ExprFunctions.Failure.class)
        .hasMessage(
            "wrong number of arguments for "
                + f.name()
                + ": got "
                + n
                + ", want "
                + f.arity().describe());
  }

  @Test
  void arityIsWordedAsExprWordsIt() {
    assertThat(Arity.exactly(1).describe()).isEqualTo("1");
    assertThat(Arity.between(1, 2).describe()).isEqualTo("1 to 2");
    assertThat(new Arity(1, Arity.VARIADIC).describe()).isEqualTo("at least 1");
    assertThatThrownBy(() -> Expr.evaluate("trim()", Map.of()))
        .hasMessageStartingWith("wrong number of arguments for trim: got 0, want 1 to 2");
    assertThatThrownBy(() -> Expr.evaluate("sprig.default(1, 2, 3)", Map.of()))
        .hasMessageStartingWith("wrong number of arguments for sprig.default: got 3, want 1 to 2");
  }

  @Test
  void variadicFunctionsTakeAnyNumberOfArguments() {
    assertThat(Expr.evaluate("sprig.list()", Map.of())).isEqualTo(List.of());
    assertThat(Expr.evaluate("sprig.add(1, 2, 3, 4)", Map.of())).isEqualTo(10L);
    assertThat(Expr.evaluate("max(1, 5, 3)", Map.of())).isEqualTo(5L);
    assertThatThrownBy(() -> Expr.evaluate("max()", Map.of()))
        .hasMessageStartingWith("max needs at least one number");
  }

  @Test
  void theUnknownSprigFunctionMessageListsTheTablesSprigFunctions() {
    List<String> sprig =
        ExprFunctions.table().keySet().stream().filter(n -> n.startsWith("sprig.")).toList();
    assertThat(sprig).isSorted().contains("sprig.add", "sprig.trim");
    assertThatThrownBy(() -> ExprFunctions.call("sprig.nope", List.of()))
        .hasMessage(
            "unknown function sprig.nope (supported sprig functions: "
                + String.join(", ", sprig)
                + ")");
  }

  @Test
  void everyTableNameExistsAndIsCallableOnlyWithParentheses() {
    for (String name : ExprFunctions.table().keySet()) {
      assertThat(ExprFunctions.exists(name)).as(name).isTrue();
    }
    assertThat(ExprFunctions.exists("filter"))
        .as("predicate functions exist outside the table")
        .isTrue();
    assertThat(ExprFunctions.exists("frobnicate")).isFalse();
    assertThatThrownBy(() -> Expr.evaluate("upper", Map.of()))
        .hasMessageStartingWith("function upper must be called with parentheses");
  }

  @Test
  void aliasesFailUnderTheNameThatWasCalled() {
    assertThatThrownBy(() -> Expr.evaluate("sprig.upper(1)", Map.of()))
        .hasMessageStartingWith("sprig.upper: argument 1 must be a string, got int (1)");
    assertThatThrownBy(() -> Expr.evaluate("asInt(true)", Map.of()))
        .hasMessageStartingWith("asInt: invalid argument (type bool)");
    assertThatThrownBy(() -> Expr.evaluate("int(true)", Map.of()))
        .hasMessageStartingWith("int: invalid argument (type bool)");
  }
}
