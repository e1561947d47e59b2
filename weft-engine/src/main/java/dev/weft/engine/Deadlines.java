package dev.weft.engine;

import dev.weft.engine.Model.Template;
import dev.weft.runtime.Limits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Deadlines: the workflow's ({@code spec.activeDeadlineSeconds}) and a template's own ({@code
 * timeout}, {@code activeDeadlineSeconds}). The time is the run's clock.
 */
final class Deadlines {
  /** The message of a node stopped or never started because a deadline passed, as Argo words it. */
  static final String MESSAGE = "Step exceeded its deadline";

  private final Clock clock;
  private volatile Instant workflowDeadline; // null: none

  Deadlines(Clock clock) {
    this.clock = clock;
  }

  /** Starts the workflow's deadline, if it has one, from {@code startedAt}. */
  void begin(Optional<String> activeDeadlineSeconds, Instant startedAt) {
    activeDeadlineSeconds.ifPresent(
        s ->
            workflowDeadline =
                startedAt.plusSeconds(StepError.wholeNumber(s, "spec.activeDeadlineSeconds")));
  }

  /**
   * Ends the workflow's deadline: what runs from now on is the exit handler, which Argo exempts
   * from it.
   */
  void lift() {
    workflowDeadline = null;
  }

  /** Whether the workflow's deadline has passed: nothing new may start. */
  boolean passed() {
    Instant d = workflowDeadline;
    return d != null && clock.instant().isAfter(d);
  }

  /**
   * A template's own limit: the smaller of its {@code timeout} and {@code activeDeadlineSeconds}.
   */
  static Optional<Duration> of(Template t, Map<String, String> vars) {
    Optional<Duration> deadline = Optional.empty();
    if (t.timeout().isPresent())
      deadline =
          Optional.of(Limits.parseDuration("timeout", Exprs.render(t.timeout().get(), vars, true)));
    if (t.activeDeadlineSeconds().isPresent()) {
      Duration d =
          Duration.ofSeconds(
              StepError.wholeNumber(
                  Exprs.render(t.activeDeadlineSeconds().get(), vars, true),
                  "activeDeadlineSeconds"));
      deadline = Optional.of(min(deadline, d));
    }
    return deadline;
  }

  /** {@code limit}, cut to the time left before the workflow's deadline. */
  Optional<Duration> capped(Optional<Duration> limit) {
    Instant d = workflowDeadline;
    if (d == null) return limit;
    return Optional.of(min(limit, Duration.between(clock.instant(), d)));
  }

  /**
   * How long a suspend waits: its duration, or less when the workflow's deadline comes first
   * ({@code cut}).
   */
  record Wait(Duration duration, boolean cut) {}

  Wait suspend(Duration d) {
    Instant deadline = workflowDeadline;
    if (deadline == null) return new Wait(d, false);
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.compareTo(d) >= 0) return new Wait(d, false);
    return new Wait(left.isNegative() ? Duration.ZERO : left, true);
  }

  private static Duration min(Optional<Duration> a, Duration b) {
    return a.map(x -> x.compareTo(b) < 0 ? x : b).orElse(b);
  }
}
