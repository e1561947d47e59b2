package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@code when} as Argo evaluates it (govaluate, bare words as strings), through the engine's door
 * to the expr module.
 */
class WhenTest {
  @Test
  void comparesWordsNumbersAndBooleans() {
    assertThat(Exprs.when("heads == heads")).isTrue();
    assertThat(Exprs.when("heads == tails")).isFalse();
    assertThat(Exprs.when("tails != heads")).isTrue();
    assertThat(Exprs.when("7 > 5 && 2 <= 2.0")).isTrue();
    assertThat(Exprs.when("'a b' == \"a b\"")).isTrue();
    assertThat(Exprs.when("!(1 == 2) || false")).isTrue();
    assertThat(Exprs.when("true")).isTrue();
    assertThat(Exprs.when("Succeeded != Succeeded")).isFalse();
    assertThat(Exprs.when("abc =~ '^ab'")).isTrue();
    assertThat(Exprs.when("5 == 5.0")).isTrue();
    assertThat(Exprs.when("5 == five")).isFalse();
  }

  @Test
  void nonBooleanAndBadExpressionsAreErrors() {
    assertThatThrownBy(() -> Exprs.when("heads"))
        .hasMessage("Expected boolean evaluation for 'heads'. Got heads");
    assertThatThrownBy(() -> Exprs.when("(1 == 1"))
        .hasMessageStartingWith("Invalid 'when' expression '(1 == 1'");
    assertThatThrownBy(() -> Exprs.when("abc-1 == x"))
        .hasMessageContaining("cannot be used with the modifier '-', it is not a number");
  }
}
