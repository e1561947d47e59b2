package dev.weft.engine;

import dev.weft.engine.Model.RetryStrategy;
import dev.weft.engine.Model.Template;
import dev.weft.runtime.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A template's {@code retryStrategy}: a Retry node with one child per attempt, each judged by
 * {@code retryPolicy}, {@code limit}, {@code expression} and {@code backoff} before the next.
 */
final class Retries {
  private final Execution run;

  Retries(Execution run) {
    this.run = run;
  }

  /**
   * Runs the first attempt under {@code retryNode}, and the next ones as long as the strategy
   * allows.
   */
  CompletableFuture<Node> start(Node retryNode, Template t, Inputs in) {
    retryNode.running();
    return attempt(retryNode, t, in, 0, run.clock.instant());
  }

  private CompletableFuture<Node> attempt(
      Node retryNode, Template t, Inputs in, int n, Instant firstStart) {
    Node child =
        run.nodes.create(
            retryNode.name() + "(" + n + ")",
            retryNode.displayName() + "(" + n + ")",
            NodeType.of(t.kind()),
            t.name(),
            retryNode.boundaryId(),
            retryNode);
    child.inputs(in.parameters(), List.copyOf(in.artifacts().values()));
    return run.body(child, t, in, n)
        .thenComposeAsync(
            v -> {
              retryNode.outputs(child.outputs());
              if (child.phase() == NodePhase.Succeeded)
                return finish(retryNode, NodePhase.Succeeded, child.message());
              Verdict verdict;
              try {
                verdict = judge(t.retryStrategy().get(), retryNode, child, in, n, firstStart);
              } catch (StepError | Exprs.Unresolved | IllegalArgumentException e) {
                return finish(retryNode, NodePhase.Error, e.getMessage());
              }
              if (verdict instanceof Stop stop)
                return finish(retryNode, stop.phase(), stop.message());
              Duration delay = ((Retry) verdict).delay();
              Executor later =
                  delay.isZero()
                      ? run.ctl
                      : CompletableFuture.delayedExecutor(
                          delay.toNanos(), TimeUnit.NANOSECONDS, run.ctl);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenComposeAsync(x -> attempt(retryNode, t, in, n + 1, firstStart), run.ctl);
            },
            run.ctl);
  }

  /** What the strategy says after a failed attempt. */
  private sealed interface Verdict {}

  /**
   * Retries of one node at most: each keeps a node, so an unbounded limit would grow memory without
   * end.
   */
  static final int MAX_RETRIES = 10_000;

  /** Give up: the Retry node ends with this phase and message. */
  private record Stop(NodePhase phase, String message) implements Verdict {}

  /** Try again after {@code delay}. */
  private record Retry(Duration delay) implements Verdict {}

  private Verdict judge(
      RetryStrategy rs, Node retryNode, Node child, Inputs in, int n, Instant firstStart) {
    if (!retryable(rs.retryPolicy(), child) || run.deadlines.passed())
      return new Stop(child.phase(), child.message());
    Map<String, String> vars = run.globals.local(in, retryNode, n);
    long limit =
        rs.limit()
            .map(l -> StepError.wholeNumber(Exprs.render(l, vars, true), "retryStrategy.limit"))
            .orElse(Long.MAX_VALUE);
    if (rs.limit().isPresent() && limit > MAX_RETRIES) {
      return new Stop(
          NodePhase.Error,
          "retryStrategy.limit is "
              + limit
              + ", over weft run's limit of "
              + MAX_RETRIES
              + " retries");
    }
    if (n >= MAX_RETRIES)
      return new Stop(
          child.phase(), "No more retries left (weft run stops after " + MAX_RETRIES + " retries)");
    if (n >= limit) return new Stop(child.phase(), "No more retries left");
    if (rs.expression().isPresent() && !expressionAllows(rs.expression().get(), vars, child)) {
      return new Stop(child.phase(), "retryStrategy.expression evaluated to false");
    }
    Duration delay = Duration.ZERO;
    if (rs.backoffDuration().isPresent()) {
      Duration base =
          Limits.parseDuration(
              "retryStrategy.backoff.duration",
              Exprs.render(rs.backoffDuration().get(), vars, true));
      double factor =
          rs.backoffFactor().map(f -> Double.parseDouble(Exprs.render(f, vars, true))).orElse(1.0);
      delay = Duration.ofNanos((long) (base.toNanos() * Math.pow(factor, n)));
    }
    if (rs.backoffMaxDuration().isPresent()) {
      Duration max =
          Limits.parseDuration(
              "retryStrategy.backoff.maxDuration",
              Exprs.render(rs.backoffMaxDuration().get(), vars, true));
      if (Duration.between(firstStart, run.clock.instant()).plus(delay).compareTo(max) > 0) {
        return new Stop(child.phase(), "Max duration limit exceeded");
      }
    }
    return new Retry(delay);
  }

  private static boolean retryable(String policy, Node child) {
    return switch (policy) {
      case "Always" -> child.failedOrError();
      case "OnError" -> child.phase() == NodePhase.Error;
      case "OnTransientError" -> child.phase() == NodePhase.Error && isTransient(child.message());
      default -> child.phase() == NodePhase.Failed;
    };
  }

  private boolean expressionAllows(String expression, Map<String, String> vars, Node child) {
    Map<String, String> ev = new HashMap<>(vars);
    Instant now = run.clock.instant();
    ev.put("lastRetry.status", child.phase().name());
    ev.put("lastRetry.exitCode", child.outputs().exitCode().orElse("-1"));
    ev.put("lastRetry.message", child.message());
    ev.put(
        "lastRetry.duration",
        String.valueOf(
            Duration.between(child.startedAt().orElse(now), child.finishedAt().orElse(now))
                .toSeconds()));
    Object r;
    try {
      // {{…}} tags are substituted first, as in the rest of the template
      // (examples/retry-conditional.yaml)
      r = Exprs.evaluate(Exprs.render(expression, vars, false), ev);
    } catch (RuntimeException e) {
      throw new StepError("retryStrategy.expression: " + e.getMessage());
    }
    return Boolean.TRUE.equals(r) || "true".equals(String.valueOf(r));
  }

  private static boolean isTransient(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("connection refused")
        || m.contains("timeout")
        || m.contains("temporarily")
        || m.contains("transient");
  }

  private static CompletableFuture<Node> finish(Node retryNode, NodePhase phase, String message) {
    retryNode.finish(phase, message);
    return CompletableFuture.completedFuture(retryNode);
  }
}
