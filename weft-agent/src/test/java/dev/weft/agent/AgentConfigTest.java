package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.argo.StepSettings;
import dev.weft.runtime.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AgentConfig's copies change the values they name, and are checked as the constructor checks. */
class AgentConfigTest {
  private static final AgentConfig DEFAULTS = AgentConfig.defaults("r1");

  @Test
  void eachWitherChangesItsValuesAndNothingElse() {
    StepSettings steps = StepSettings.builder().engine(Engine.COMPILER).build();
    AgentConfig c =
        DEFAULTS
            .withNamespaces(List.of("argo"))
            .withInstanceId(Optional.of("i"))
            .withWorkers(2, 9)
            .withTiming(
                Duration.ofMillis(7),
                Duration.ofSeconds(3),
                Duration.ofSeconds(11),
                Duration.ofSeconds(1))
            .withOps("0.0.0.0", 9090)
            .withSteps(steps);

    assertThat(c.namespaces()).containsExactly("argo");
    assertThat(c.instanceId()).contains("i");
    assertThat(c.workers()).isEqualTo(2);
    assertThat(c.queue()).isEqualTo(9);
    assertThat(c.patchDelay()).isEqualTo(Duration.ofMillis(7));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.rescanEvery()).isEqualTo(Duration.ofSeconds(11));
    assertThat(c.warmUp()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.opsHost()).isEqualTo("0.0.0.0");
    assertThat(c.opsPort()).isEqualTo(9090);
    assertThat(c.steps()).isEqualTo(steps);
    assertThat(c.identity()).isEqualTo("r1");
    assertThat(c.coordination()).isEqualTo(DEFAULTS.coordination());
    assertThat(c.http()).isEqualTo(DEFAULTS.http());
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void copiesAreChecked() {
    assertThatThrownBy(() -> DEFAULTS.withWorkers(0, 1))
        .hasMessageContaining("--workers must be at least 1");
    assertThatThrownBy(
            () ->
                DEFAULTS.withTiming(
                    Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("--patch-delay must be between 0 and 100ms");
  }
}
