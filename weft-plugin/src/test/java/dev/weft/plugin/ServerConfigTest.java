package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.argo.StepSettings;
import dev.weft.runtime.Engine;
import dev.weft.runtime.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The server's settings around a StepSettings: copies change one value, checks still hold. */
class ServerConfigTest {
  private static final ServerConfig DEFAULTS = ServerConfig.defaults(Optional.of("t"));

  @Test
  void aStepWitherChangesThatStepSettingAndNothingElse() {
    ServerConfig c = DEFAULTS.withModuleDir(Path.of("/modules"));

    assertThat(c.steps().moduleDir()).contains(Path.of("/modules"));
    assertThat(c.steps().toBuilder().moduleDir(Optional.empty()).build())
        .isEqualTo(DEFAULTS.steps());
    assertThat(c.withSteps(DEFAULTS.steps())).isEqualTo(DEFAULTS);
  }

  @Test
  void limitsAndEngineAreTheSteps() {
    Limits l = Limits.defaults().withTimeout(Duration.ofSeconds(7));
    ServerConfig c = DEFAULTS.withLimits(l).withEngine(Engine.INTERPRETER);

    assertThat(c.limits()).isEqualTo(l).isEqualTo(c.steps().limits());
    assertThat(c.engine()).isEqualTo(Engine.INTERPRETER).isEqualTo(c.steps().engine());
  }

  @Test
  void serverWithersChangeTheirValues() {
    ServerConfig c =
        DEFAULTS
            .withPort(3000)
            .withWorkers(3, 5)
            .withRequeue(Duration.ofSeconds(1), Duration.ofSeconds(2));

    assertThat(c.port()).isEqualTo(3000);
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.queue()).isEqualTo(5);
    assertThat(c.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.requeue()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.token()).isEqualTo(DEFAULTS.token());
    assertThat(c.steps()).isEqualTo(DEFAULTS.steps());
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void copiesAreCheckedAsTheConstructorChecks() {
    assertThatThrownBy(() -> DEFAULTS.withPort(70000))
        .hasMessageContaining("--port must be 0-65535");
    assertThatThrownBy(() -> DEFAULTS.withRequeue(Duration.ofSeconds(26), Duration.ofSeconds(1)))
        .hasMessageContaining("--requeue-after must be between 0 and 25s");
    assertThatThrownBy(() -> StepSettings.builder().cacheMaxBytes(0).build())
        .hasMessageContaining("the cache size must be positive");
  }
}
