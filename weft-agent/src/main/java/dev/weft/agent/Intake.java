package dev.weft.agent;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that looks at TaskSets: watch events, refills and rescans run here in order, so
 * claiming tasks needs no coordination between watch threads.
 *
 * <ul>
 *   <li>Watch events wait as the newest copy of each TaskSet, in order of arrival: at most one
 *       entry per TaskSet, so a burst of updates to one TaskSet costs one look.
 *   <li>A TaskSet whose tasks were left for want of room is remembered as deferred; when workers
 *       free, only the deferred ones are looked at again, oldest first, until the queue is full.
 *   <li>Every TaskSet is looked at again when the replicas change and now and then, a safety net
 *       for missed events.
 * </ul>
 */
final class Intake {
  private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

  /** Looks at one TaskSet; false when tasks were left for want of room. */
  interface Consider {
    boolean consider(TaskSet ts, long seenNanos);
  }

  private record Arrival(GenericKubernetesResource object, long seenNanos) {}

  private final Consider consider;
  private final Watches watches;
  private final ScheduledExecutorService thread;
  private final Map<TaskSet.Ref, Arrival> arrivals = new LinkedHashMap<>();
  private final Set<TaskSet.Ref> deferred = new LinkedHashSet<>();
  private final AtomicBoolean refillQueued = new AtomicBoolean();

  Intake(Consider consider, Watches watches) {
    this.consider = consider;
    this.watches = watches;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weft-agent-intake");
              t.setDaemon(true);
              return t;
            });
  }

  /** Looks at every TaskSet again at this interval. */
  void rescanEvery(Duration every) {
    long ms = every.toMillis();
    thread.scheduleWithFixedDelay(this::rescan, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code step} on the intake thread at this interval. */
  void every(Duration period, Runnable step) {
    long ms = period.toMillis();
    thread.scheduleWithFixedDelay(step, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** A watch event: waits for the intake thread, replacing an older copy still waiting. */
  void arrived(GenericKubernetesResource obj) {
    TaskSet.Ref ref =
        new TaskSet.Ref(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    long now = System.nanoTime();
    boolean first;
    synchronized (arrivals) {
      first = arrivals.isEmpty();
      Arrival old = arrivals.get(ref);
      arrivals.put(ref, new Arrival(obj, old == null ? now : old.seenNanos()));
    }
    if (first) run(this::lookAtArrivals);
  }

  /** A TaskSet deleted: a copy still waiting is not looked at. */
  void gone(TaskSet.Ref ref) {
    synchronized (arrivals) {
      arrivals.remove(ref);
    }
  }

  /** No room for this TaskSet's other tasks: they stay in it, looked at when workers free. */
  void deferred(TaskSet.Ref ref) {
    synchronized (deferred) {
      deferred.add(ref);
    }
  }

  boolean hasDeferred() {
    synchronized (deferred) {
      return !deferred.isEmpty();
    }
  }

  /** Workers freed: the deferred TaskSets are looked at again (once, however often asked). */
  void refill() {
    if (refillQueued.compareAndSet(false, true)) run(this::lookAtDeferred);
  }

  /** Replicas changed: which workflows this replica owns changed with them. */
  void rescanAll() {
    run(this::rescan);
  }

  /**
   * Runs {@code step} on the intake thread now and then every {@code period} while it returns true,
   * at most {@code times} times.
   */
  void repeatWhile(java.util.function.BooleanSupplier step, Duration period, int times) {
    run(
        () -> {
          if (step.getAsBoolean() && times > 1) {
            try {
              thread.schedule(
                  () -> repeatWhile(step, period, times - 1),
                  period.toMillis(),
                  TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
              // stopping
            }
          }
        });
  }

  void stop() {
    thread.shutdownNow();
  }

  private void run(Runnable r) {
    try {
      thread.execute(r);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private void lookAtArrivals() {
    while (true) {
      Arrival a;
      synchronized (arrivals) {
        var it = arrivals.values().iterator();
        if (!it.hasNext()) return;
        a = it.next();
        it.remove();
      }
      try {
        consider.consider(TaskSet.from(a.object()), a.seenNanos());
      } catch (RuntimeException e) {
        LOG.warn(
            "TaskSet {}/{} not looked at: {}",
            a.object().getMetadata().getNamespace(),
            a.object().getMetadata().getName(),
            e.toString());
      }
    }
  }

  private void lookAtDeferred() {
    refillQueued.set(false);
    try {
      while (true) {
        TaskSet.Ref ref;
        synchronized (deferred) {
          if (deferred.isEmpty()) return;
          ref = deferred.iterator().next();
          deferred.remove(ref);
        }
        Optional<GenericKubernetesResource> now = watches.cached(ref);
        if (now.isPresent() && !consider.consider(TaskSet.from(now.get()), System.nanoTime()))
          return; // full again: it was deferred anew
      }
    } catch (RuntimeException e) {
      LOG.warn("refill failed: {}", e.toString());
    }
  }

  private void rescan() {
    try {
      for (GenericKubernetesResource r : watches.all())
        consider.consider(TaskSet.from(r), System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("rescan failed: {}", e.toString());
    }
  }
}
