package dev.weft.argo;

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

/** The plugin's Prometheus metrics: tasks by phase, time per task phase, cache, queue, billable memory. */
final class PluginMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter billable;

  PluginMetrics(WeftRuntime runtime, TaskTracker tracker) {
    FunctionCounter.builder("weft.module.cache.hits", runtime, WeftRuntime::cacheHits)
        .description("module loads answered by the compiled-module cache").register(registry);
    FunctionCounter.builder("weft.module.cache.misses", runtime, WeftRuntime::cacheMisses)
        .description("module loads that compiled the module").register(registry);
    Gauge.builder("weft.queue.depth", tracker, TaskTracker::queueDepth).description("tasks waiting for a worker").register(registry);
    Gauge.builder("weft.tasks.running", tracker, TaskTracker::running).description("tasks on a worker now").register(registry);
    billable = Counter.builder("weft.billable.memory.mib.milliseconds")
        .description("memory reserved for tasks (their limit, MiB) times the time their code ran (ms)").register(registry);
  }

  void record(TaskResult r, long memoryLimitBytes) {
    registry.counter("weft.tasks", "phase", r.phase().name()).increment();
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
    registry.counter("weft.tasks", "phase", phase).increment();
  }

  private void phase(String name, long nanos) {
    Timer.builder("weft.task.phase").tag("phase", name).publishPercentileHistogram()
        .description("time per task phase").register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  String scrape() {
    return registry.scrape();
  }
}
