package dev.weft.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics: tasks by how they ended, the latency from a task seen to its
 * final result patched, queue depth, running tasks, API errors by operation and status, lease
 * changes, and results not written because the node was finished or gone.
 */
final class AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> tasks = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Counter> leases = new ConcurrentHashMap<>();
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
  private final Timer seenToPatched;
  private final Counter patches;
  private final Counter cancelled;
  private final Counter backlogged;
  private final Counter watchRestarts;

  AgentMetrics(Supplier<Number> queueDepth, Supplier<Number> running, Supplier<Number> members) {
    Gauge.builder("weft.agent.queue.depth", () -> queueDepth.get())
        .description("tasks waiting for a worker")
        .register(registry);
    Gauge.builder("weft.agent.tasks.running", () -> running.get())
        .description("tasks on a worker now")
        .register(registry);
    Gauge.builder("weft.agent.replicas", () -> members.get())
        .description("live replicas in this replica's pool")
        .register(registry);
    seenToPatched =
        Timer.builder("weft.agent.seen.to.patched")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .description(
                "from a task first seen in its TaskSet to its final result patched into the status")
            .register(registry);
    patches =
        Counter.builder("weft.agent.status.patches")
            .description("status patches written")
            .register(registry);
    cancelled =
        Counter.builder("weft.agent.tasks.cancelled")
            .description("tasks stopped because their workflow was deleted or completed")
            .register(registry);
    backlogged =
        Counter.builder("weft.agent.tasks.deferred")
            .description("tasks left in their TaskSet because the queue was full")
            .register(registry);
    this.watchRestarts =
        Counter.builder("weft.agent.watch.restarts")
            .description("watches replaced by a new list and watch after going silent")
            .register(registry);
    for (String phase : new String[] {"Succeeded", "Failed", "Error"}) task(phase);
    for (String why : new String[] {"finished", "gone"}) drop(why);
  }

  /** A final result patched: its phase and how long since the task was first seen. */
  void finished(String phase, long seenNanos) {
    task(phase).increment();
    if (seenNanos > 0) seenToPatched.record(System.nanoTime() - seenNanos, TimeUnit.NANOSECONDS);
  }

  void patched() {
    patches.increment();
  }

  void cancelled() {
    cancelled.increment();
  }

  void deferred() {
    backlogged.increment();
  }

  /**
   * A result not written: the node was already final ({@code finished}) or left the TaskSet ({@code
   * gone}).
   */
  void dropped(String why) {
    drop(why).increment();
  }

  /** A failed API call; {@code code} 0 when no HTTP status came back. */
  void apiError(String operation, int code) {
    String key = operation + "/" + code;
    errors
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("weft.agent.api.errors")
                    .tag("operation", operation)
                    .tag("code", String.valueOf(code))
                    .description("Kubernetes API calls that failed")
                    .register(registry))
        .increment();
  }

  void watchRestarted() {
    watchRestarts.increment();
  }

  /** For tests. */
  double watchRestarts() {
    return watchRestarts.count();
  }

  void leaseChange(String kind) {
    leases
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("weft.agent.lease.changes")
                    .tag("kind", kind)
                    .description(
                        "lease events: acquired, released, members (the live replicas changed)")
                    .register(registry))
        .increment();
  }

  private Counter task(String phase) {
    return tasks.computeIfAbsent(
        phase,
        p ->
            Counter.builder("weft.agent.tasks")
                .tag("phase", p)
                .description("tasks by final phase patched")
                .register(registry));
  }

  private Counter drop(String why) {
    return dropped.computeIfAbsent(
        why,
        w ->
            Counter.builder("weft.agent.results.dropped")
                .tag("reason", w)
                .description(
                    "results not written because the node was already final or left its TaskSet")
                .register(registry));
  }

  // ---- for tests and the benchmark ----

  double count(String phase) {
    return task(phase).count();
  }

  double droppedCount(String why) {
    return drop(why).count();
  }

  double deferredCount() {
    return backlogged.count();
  }

  double cancelledCount() {
    return cancelled.count();
  }

  double apiErrors(String operation) {
    return errors.entrySet().stream()
        .filter(e -> e.getKey().startsWith(operation + "/"))
        .mapToDouble(e -> e.getValue().count())
        .sum();
  }

  double apiErrors(String operation, int code) {
    Counter c = errors.get(operation + "/" + code);
    return c == null ? 0 : c.count();
  }

  String scrape() {
    return registry.scrape();
  }
}
