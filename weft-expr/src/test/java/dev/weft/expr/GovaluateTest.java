package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GovaluateTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        // Argo's examples: bare words are strings
        "heads == heads => true",
        "tails == heads => false",
        "foo != bar => true",
        "Succeeded == Succeeded && 1 < 2 => true",
        // quoted strings, both quotes, escapes
        "'heads' == \"heads\" => true",
        "'it\\'s' == \"it's\" => true",
        "[some var] == 'some var' => true",
        // numbers compare numerically, strings as strings
        "10 > 9 => true",
        "'10' > '9' => false",
        "5 >= 5 => true",
        "4.5 < 4.25 => false",
        "3 <= 3.0 => true",
        "5 == 5.0 => true",
        "5 != 6 => true",
        "5 == '5' => false",
        "5 != '5' => true",
        "abc < abd => true",
        // logic and precedence
        "true && false => false",
        "true || false => true",
        "!false => true",
        "!(1 == 1) => false",
        "false && true || true => true",
        "false && (true || true) => false",
        "1 + 2 * 3 == 7 => true",
        "(1 + 2) * 3 == 9 => true",
        "10 - 2 - 3 == 5 => true",
        "2 ** 3 ** 2 == 512 => true",
        "-2 + 5 == 3 => true",
        "7 % 4 == 3 => true",
        "7 / 2 == 3.5 => true",
        "1 + 1 > 1 && 2 > 1 => true",
        // regex
        "'build-123' =~ '^build-[0-9]+$' => true",
        "'build-x' =~ '^build-[0-9]+$' => false",
        "'build-x' !~ '[0-9]' => true",
        "hello =~ ell => true",
        // in
        "heads in (heads, tails) => true",
        "edge in (heads, tails) => false",
        "2 in (1, 2, 3) => true",
        "'2' in (1, 2, 3) => false",
        // ternary and coalescing
        "(true ? 1 : 2) == 1 => true",
        "(false ? 1 : 2) == 2 => true",
        "((false ? 1) ?? 3) == 3 => true",
        "((true ? 1) ?? 3) == 1 => true",
        // string concatenation
        "a + b == ab => true",
        "'v' + 2 == v2 => true",
        "1.5 + x == '1.5x' => true",
        // bitwise
        "(6 & 3) == 2 => true",
        "(1 << 4) == 16 => true",
      })
  void conditions(String expression, boolean expected) {
    assertThat(Govaluate.evaluateCondition(expression)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void anUnquotedDottedNameIsAnAccessorThatFailsAsInArgo() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Govaluate.evaluateCondition("x.y.z == 'x.y.z'"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("No parameter 'x' found");
  }

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("1 + 2", 3.0),
        Arguments.of("heads", "heads"),
        Arguments.of("'a' + 'b'", "ab"),
        Arguments.of("0x10", 16.0),
        Arguments.of("true ? yes : no", "yes"),
        Arguments.of("false ? yes : no", "no"),
        Arguments.of("false ? yes : false ? maybe : no", "no"),
        Arguments.of("10 / 4", 2.5),
        Arguments.of("-(3)", -3.0),
        Arguments.of("~0", -1.0));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource
  void values(String expression, Object expected) {
    assertThat(Govaluate.evaluate(expression)).isEqualTo(expected);
  }

  @Test
  void nonBooleanResultIsNamed() {
    assertThatThrownBy(() -> Govaluate.evaluateCondition("1 + 2"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Expected boolean evaluation for '1 + 2'. Got 3");
    assertThatThrownBy(() -> Govaluate.evaluateCondition("heads"))
        .hasMessage("Expected boolean evaluation for 'heads'. Got heads");
    assertThatThrownBy(() -> Govaluate.evaluateCondition("1.5 * 1"))
        .hasMessage("Expected boolean evaluation for '1.5 * 1'. Got 1.5");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "heads == => Invalid 'when' expression 'heads ==': Unexpected end of expression",
        "(1 == 1 => Invalid 'when' expression '(1 == 1': Expected ')' but found end of expression",
        "1 == 1) => Invalid 'when' expression '1 == 1)': Unexpected token ')' at position 7",
        "{{steps.a.outputs.result}} == x => Invalid 'when' expression '{{steps.a.outputs.result}} == x': Invalid token: '{' at position 1",
        "'abc == abc => Invalid 'when' expression ''abc == abc': Unclosed string literal starting at position 1",
        "1.2.3 == 1 => Invalid 'when' expression '1.2.3 == 1': Unable to parse numeric value '1.2.3' to float64",
        "len(x) == 1 => Invalid 'when' expression 'len(x) == 1': Unexpected '(' at position 4 after 'len' (functions are not available in 'when' expressions)",
      })
  void parseErrorsNameTheProblem(String expression, String message) {
    assertThatThrownBy(() -> Govaluate.evaluateCondition(expression))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "my-value == my-value => Value 'my' cannot be used with the modifier '-', it is not a number",
        "true && 1 => Value '1' cannot be used with the logical operator '&&', it is not a bool",
        "!heads => Value 'heads' cannot be used with the prefix operator '!', it is not a bool",
        "5 > abc => Value 'abc' cannot be used with the comparator '>' against '5', both sides must be numbers or both strings",
        "1 in 1 => Value '1' cannot be used with the comparator 'in', it is not an array",
        "a =~ '[' => Unable to compile regexp pattern '['",
        "1 ? a : b => Value '1' cannot be used with the ternary operator '?', it is not a bool",
      })
  void typeErrorsNameValueAndOperator(String expression, String message) {
    assertThatThrownBy(() -> Govaluate.evaluateCondition(expression))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("Failed to evaluate 'when' expression '" + expression + "': ")
        .hasMessageContaining(message);
  }

  @Test
  void emptyExpressionIsAParseError() {
    assertThatThrownBy(() -> Govaluate.evaluateCondition("  "))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Invalid 'when' expression '  ': empty expression");
  }

  @Test
  void logicalOperatorsShortCircuit() {
    // the right side would be a type error if evaluated
    assertThat(Govaluate.evaluateCondition("false && (1 - a)")).isFalse();
    assertThat(Govaluate.evaluateCondition("true || (1 - a)")).isTrue();
  }

  @Test
  void arraysAreValues() {
    assertThat(Govaluate.evaluate("(1, a)")).isEqualTo(List.of(1.0, "a"));
  }

  @Test
  void deepNestingIsReportedNotCrashed() {
    String deep = "(".repeat(20_000) + "true" + ")".repeat(20_000);
    assertThatThrownBy(() -> Govaluate.evaluateCondition(deep))
        .isInstanceOf(ExpressionException.class)
        .hasMessageEndingWith("nested too deeply");
  }
}
