package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.artifacts.LocalDirectoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine reads time only from the runner's clock: times, deadlines and backoff limits follow
 * it, not the wall.
 */
class ClockTest {
  private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");

  /** A clock that moves on by {@code tick} every time it is read. */
  private static final class TickingClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Duration tick;

    TickingClock(Duration tick) {
      this.tick = tick;
    }

    @Override
    public Instant instant() {
      return now.getAndUpdate(t -> t.plus(tick));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private static WorkflowStatus run(Clock clock, String yaml) {
    try (WorkflowRunner r =
        WorkflowRunner.builder()
            .artifacts(new LocalDirectoryStore(Runs.STORE))
            .clock(clock)
            .build()) {
      return r.run(WorkflowParser.parse(yaml, Runs.EXAMPLES), Map.of());
    }
  }

  @Test
  void workflowAndNodeTimesComeFromTheClock() {
    WorkflowStatus s =
        run(
            Clock.fixed(T0, ZoneOffset.UTC),
            SemanticsTest.wf(
                "main",
                """
        - name: main
          steps:
            - - {name: when, template: say, arguments: {parameters: [{name: arg, value: "{{workflow.creationTimestamp}}"}]}}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.startedAt()).isEqualTo(T0);
    assertThat(s.finishedAt()).isEqualTo(T0);
    for (Node n : s.nodes()) {
      assertThat(n.startedAt()).as(n.name()).contains(T0);
      assertThat(n.finishedAt()).as(n.name()).contains(T0);
    }
    assertThat(Runs.node(s, "when").outputs().result()).contains("2030-01-02T03:04:05Z");
    assertThat(StatusJson.of(s).at("/status/startedAt").asText()).isEqualTo("2030-01-02T03:04:05Z");
  }

  @Test
  void theWorkflowDeadlinePassesOnTheClockNotTheWall() {
    // every reading is a minute later: the 90-second deadline holds when the run starts and has
    // passed by the time the step would start, with no real time spent
    WorkflowStatus s =
        run(
            new TickingClock(Duration.ofMinutes(1)),
            SemanticsTest.wf(
                    "main",
                    """
        - name: main
          steps:
            - - {name: late, template: say}
        """)
                .replace("entrypoint: main", "entrypoint: main\n  activeDeadlineSeconds: 90"));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(Runs.node(s, "late").message()).isEqualTo(Deadlines.MESSAGE);
    assertThat(Runs.node(s, "late").phase()).isEqualTo(NodePhase.Failed);
    assertThat(Duration.between(s.startedAt(), s.finishedAt()))
        .isGreaterThan(Duration.ofSeconds(90));
  }

  @Test
  void backoffMaxDurationIsMeasuredOnTheClock() {
    // a minute per reading: after the first attempt the 90s budget is spent, whatever the wall says
    WorkflowStatus s =
        run(
            new TickingClock(Duration.ofMinutes(1)),
            SemanticsTest.wf(
                "main",
                """
        - name: main
          retryStrategy: {limit: 10, backoff: {duration: 1ms, maxDuration: 90s}}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [exit, "3"]
        """));

    assertThat(s.root().message()).isEqualTo("Max duration limit exceeded");
    assertThat(s.nodes()).extracting(Node::displayName).containsExactly(s.name(), s.name() + "(0)");
  }
}
