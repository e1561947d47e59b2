package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GovaluateTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          heads == heads                   => true
          tails == heads                   => false
          foo != bar                       => true
          'heads' == heads                 => true
          "a b" == 'a b'                   => true
          5 > 3                            => true
          5 >= 5                           => true
          2 < 10                           => true
          10 < 2                           => false
          3 <= 2                           => false
          b > a                            => true
          abc < abd                        => true
          10 == 10.0                       => true
          5 == '5'                         => false
          1 == true                        => false
          true                             => true
          !false                           => true
          !(1 > 2)                         => true
          true && false                    => false
          true || false                    => true
          false || !false && false         => false
          1 > 2 || 3 > 2 && 4 > 3          => true
          (1 > 2 || 3 > 2) && 4 < 3        => false
          hello =~ 'h.l+'                  => true
          hello =~ '^ell'                  => false
          hello !~ '^ell'                  => true
          b in (a, b, c)                   => true
          d in (a, b, c)                   => false
          2 in (1, 2, 3)                   => true
          1 + 2 * 3 == 7                   => true
          (1 + 2) * 3 == 9                 => true
          2 ** 3 ** 2 == 64                => true
          -2 ** 2 == 4                     => true
          10 - 4 - 3 == 3                  => true
          12 / 4 / 3 == 1                  => true
          7 % 4 == 3                       => true
          -5 < -4                          => true
          1 - -1 == 2                      => true
          6 & 3 == 2                       => true
          ab + cd == abcd                  => true
          'n' + 1 == n1                    => true
          1 > 2 ? false : true             => true
          steps.a.outputs.result == steps.a.outputs.result => true
          [my var] == 'my var'             => true
          """)
  void evaluatesConditionsLikeArgo(String expression, boolean expected) {
    assertThat(Govaluate.evaluateCondition(expression)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          1 + 2          => 3.0
          7 / 2          => 3.5
          2 ** 10        => 1024.0
          a + b          => ab
          'x' + 2.5      => x2.5
          true ? yes : no => yes
          false ? yes : no => no
          """)
  void evaluatesValues(String expression, String expected) {
    assertThat(String.valueOf(Govaluate.evaluate(expression))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          heads                 => Expected boolean evaluation for 'heads'. Got heads
          1 + 2                 => Expected boolean evaluation for '1 + 2'. Got 3
          0.5 * 3               => Expected boolean evaluation for '0.5 * 3'. Got 1.5
          heads ==              => Invalid 'when' expression 'heads ==': Unexpected end of expression
          heads == tails tails  => Invalid 'when' expression 'heads == tails tails': Cannot transition token types from STRING [tails] to STRING [tails]
          a === b               => Invalid 'when' expression 'a === b': Invalid token: '==='
          1 @ 2                 => Invalid 'when' expression '1 @ 2': Invalid token: '@'
          (1 > 2                => Invalid 'when' expression '(1 > 2': Unbalanced parenthesis
          'open == x            => Invalid 'when' expression ''open == x': Unclosed string literal
          1.2.3 > 1             => Invalid 'when' expression '1.2.3 > 1': Unable to parse numeric value '1.2.3' to float64
          len(x) > 1            => Invalid 'when' expression 'len(x) > 1': Invalid token: 'len'
          flip-coin == heads    => Failed to evaluate 'when' expression 'flip-coin == heads': Value 'flip' cannot be used with the modifier '-', it is not a number
          a > 1                 => Failed to evaluate 'when' expression 'a > 1': Value 'a' cannot be used with the comparator '>', it is not a number
          yes && true           => Failed to evaluate 'when' expression 'yes && true': Value 'yes' cannot be used with the logical operator '&&', it is not a bool
          !yes                  => Failed to evaluate 'when' expression '!yes': Value 'yes' cannot be used with the prefix '!'
          a in b                => Failed to evaluate 'when' expression 'a in b': Value 'b' cannot be used with the comparator 'in', it is not an array
          x =~ '('              => Failed to evaluate 'when' expression 'x =~ '('': Unable to compile regexp pattern '('
          """)
  void errorsNameTheExpressionAndTheFault(String expression, String message) {
    assertThatThrownBy(() -> Govaluate.evaluateCondition(expression))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith(message);
  }

  @org.junit.jupiter.api.Test
  void emptyExpressionIsAnError() {
    assertThatThrownBy(() -> Govaluate.evaluateCondition("  "))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("Invalid 'when' expression '  ': Unexpected end of expression");
  }
}
