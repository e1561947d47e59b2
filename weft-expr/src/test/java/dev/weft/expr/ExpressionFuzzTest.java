package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any input to either expression language gives a value or an {@link ExpressionException} naming
 * the expression, never another exception or a StackOverflowError. Inputs are drawn from the
 * languages' own tokens so most get past the lexer. Seeded; a longer run raises the tries.
 */
class ExpressionFuzzTest {
  private static final String[] TOKENS = {
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "?",
    ":",
    "!",
    "-",
    "+",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    " and ",
    " or ",
    " not ",
    " in ",
    "1",
    "2.5",
    "0x1f",
    "'s'",
    "\"t\"",
    "`u`",
    "true",
    "false",
    "nil",
    "x",
    "items",
    "len",
    "int",
    "string",
    "sprig.upper",
    "jsonpath",
    "toJson",
    "filter",
    "map",
    "#",
    "**",
    "..",
    "=~",
    "'a' =~ '(a+)+$'",
    " ",
    "\\",
    "\u0000"
  };

  @Property(seed = "2207", tries = 1500)
  void exprGivesAValueOrANamedError(@ForAll("expressions") String e) {
    try {
      Expr.evaluate(e, Map.of("x", 3L, "items", java.util.List.of(1L, 2L)));
    } catch (ExpressionException ex) {
      assertThat(ex.getMessage()).isNotBlank();
    }
  }

  @Property(seed = "2208", tries = 1500)
  void govaluateGivesAValueOrANamedError(@ForAll("expressions") String e) {
    try {
      Govaluate.evaluate(e);
    } catch (ExpressionException ex) {
      assertThat(ex.getMessage()).isNotBlank();
    }
  }

  @Property(seed = "2209", tries = 100)
  void deeplyNestedInputIsRefusedNotAStackOverflow(@ForAll("depths") int depth) {
    String e = "(".repeat(depth) + "1" + ")".repeat(depth);
    for (Runnable r :
        new Runnable[] {() -> Expr.evaluate(e, Map.of()), () -> Govaluate.evaluate(e)}) {
      try {
        r.run();
      } catch (ExpressionException ex) {
        assertThat(ex.getMessage()).isNotBlank();
      }
    }
  }

  @Provide
  Arbitrary<String> expressions() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(24).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(1, 20_000);
  }
}
