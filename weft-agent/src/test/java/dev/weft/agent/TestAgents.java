package dev.weft.agent;

import dev.weft.argo.CapabilityCeiling;
import dev.weft.argo.StepSettings;
import dev.weft.runtime.Engine;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Agents as the tests run them: the example modules, loopback HTTP allowed, short timings, no
 * warm-up.
 */
final class TestAgents {
  static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .toAbsolutePath()
          .normalize();

  /**
   * One runtime for every agent in the test JVM: compiled modules and a warm JIT are shared, as in
   * one process.
   */
  static final dev.weft.runtime.WeftRuntime RUNTIME =
      dev.weft.runtime.WeftRuntime.builder().engine(Engine.TIERED).build();

  private TestAgents() {}

  static Agent start(KubernetesClient client, AgentConfig config) {
    return Agent.start(
        client,
        config,
        java.util.Optional.of(RUNTIME),
        java.util.function.UnaryOperator.identity());
  }

  static Agent start(
      KubernetesClient client,
      AgentConfig config,
      java.util.function.UnaryOperator<Tasks.Runner> wrap) {
    return Agent.start(client, config, java.util.Optional.of(RUNTIME), wrap);
  }

  static StepSettings steps(CapabilityCeiling ceiling) {
    return StepSettings.builder()
        .moduleDir(java.util.Optional.of(EXAMPLES))
        .engine(Engine.TIERED)
        .capabilities(ceiling)
        .build();
  }

  static AgentConfig config(String identity) {
    return AgentConfig.defaults(identity)
        .withSteps(steps(CapabilityCeiling.none()))
        .withWorkers(4, 64)
        .withTiming(
            Duration.ofMillis(5), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ZERO)
        .withHttp(HttpPolicy.defaults().allowingLoopback());
  }
}
