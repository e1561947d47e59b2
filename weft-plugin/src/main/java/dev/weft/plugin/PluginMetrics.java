package dev.weft.plugin;

import dev.weft.runtime.TaskResult;
import dev.weft.runtime.Timings;
import dev.weft.runtime.WeftRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The plugin's Prometheus metrics: tasks by phase, time per task phase, cache, queue, billable
 * memory.
 */
final class PluginMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter billable;

  /**
   * Every meter exists from the start, at zero (Prometheus' advice; and no first task pays for
   * making them).
   */
  private final java.util.Map<String, Counter> tasks = new java.util.HashMap<>();

  private final java.util.Map<String, Timer> phases = new java.util.HashMap<>();

  PluginMetrics(WeftRuntime runtime, TaskTracker tracker) {
    FunctionCounter.builder("weft.module.cache.hits", runtime, r -> r.stats().cacheHits())
        .description("module loads answered by the compiled-module cache")
        .register(registry);
    FunctionCounter.builder("weft.module.cache.misses", runtime, r -> r.stats().cacheMisses())
        .description("module loads that compiled the module")
        .register(registry);
    Gauge.builder("weft.queue.depth", tracker, TaskTracker::queueDepth)
        .description("tasks waiting for a worker")
        .register(registry);
    Gauge.builder("weft.tasks.running", tracker, TaskTracker::running)
        .description("tasks on a worker now")
        .register(registry);
    billable =
        Counter.builder("weft.billable.memory.mib.milliseconds")
            .description(
                "memory reserved for tasks (their limit, MiB) times the time their code ran (ms)")
            .register(registry);
    for (String phase : new String[] {"Succeeded", "Failed", "Error", "Invalid", "Unloadable"}) {
      tasks.put(
          phase,
          Counter.builder("weft.tasks")
              .tag("phase", phase)
              .description("tasks by how they ended")
              .register(registry));
    }
    for (String phase : new String[] {"load", "compile", "instantiate", "run", "collect"}) {
      phases.put(
          phase,
          Timer.builder("weft.task.phase")
              .tag("phase", phase)
              .publishPercentileHistogram()
              .description("time per task phase")
              .register(registry));
    }
  }

  void record(TaskResult r, long memoryLimitBytes) {
    count(r.phase().name());
    Timings t = r.timings();
    phase("load", t.loadNanos());
    phase("compile", t.compileNanos());
    phase("instantiate", t.instantiateNanos());
    phase("run", t.runNanos());
    phase("collect", t.collectNanos());
    billable.increment((memoryLimitBytes / (double) (1 << 20)) * (t.runNanos() / 1e6));
  }

  /** A request that ended before a task ran: invalid spec, module not loadable. */
  void rejected(String phase) {
    count(phase);
  }

  private void count(String phase) {
    Counter c = tasks.get(phase);
    if (c == null) c = registry.counter("weft.tasks", "phase", phase);
    c.increment();
  }

  private void phase(String name, long nanos) {
    phases.get(name).record(nanos, TimeUnit.NANOSECONDS);
  }

  String scrape() {
    return registry.scrape();
  }
}
