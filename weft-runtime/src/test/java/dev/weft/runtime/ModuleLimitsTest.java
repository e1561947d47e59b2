package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The record's own checks and copies: a bound that is not positive is refused by name. */
class ModuleLimitsTest {
  @Test
  void refusesABoundThatIsNotPositiveNamingIt() {
    assertThatThrownBy(() -> ModuleLimits.defaults().withMaxNestingDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("module limits must be positive: maxNestingDepth is 0");
    assertThatThrownBy(() -> ModuleLimits.defaults().withMaxTypes(-3))
        .hasMessage("module limits must be positive: maxTypes is -3");
  }

  @Test
  void aWitherChangesOnlyItsBound() {
    ModuleLimits d = ModuleLimits.defaults();
    ModuleLimits m = d.withMaxFunctions(7);

    assertThat(m.maxFunctions()).isEqualTo(7);
    assertThat(m.withMaxFunctions(d.maxFunctions())).isEqualTo(d);
    assertThat(d.withMaxTypes(5).maxTypes()).isEqualTo(5);
    assertThat(d.withMaxNestingDepth(9).maxNestingDepth()).isEqualTo(9);
    assertThat(d.withMaxTypes(5).withMaxTypes(d.maxTypes())).isEqualTo(d);
  }
}
