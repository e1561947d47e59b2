package dev.weft.runtime.internal.run;

import dev.weft.runtime.internal.compile.FlatMemory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts the calling thread when a wall-clock deadline passes. Chicory's interpreter checks the
 * interrupt flag in loops and calls, so even an endless loop stops. Compiled code checks its
 * memory's stop flag instead ({@link FlatMemory#checkInterruption}): a task {@linkplain #watch
 * watched} with its memory has that flag set when the deadline passes, and also when its thread is
 * interrupted by anyone else (a caller cancelling the task), which the timer looks for every
 * {@value #INTERRUPT_POLL_MS} ms while the task runs. One shared timer thread serves all tasks; the
 * task runs on its caller's thread, so a warm task pays no thread hand-off.
 */
public final class Deadline implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = timer();

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "weft-deadline");
              th.setDaemon(true);
              return th;
            });
    // Most deadlines are cancelled long before they are due; without this they would pile up in
    // the timer's queue until due (a minute of tasks at thousands per second).
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** How often a watched task's thread is checked for an interrupt from elsewhere. */
  static final long INTERRUPT_POLL_MS = 10;

  /**
   * Deadlines watching a memory. One sweep over them every {@value #INTERRUPT_POLL_MS} ms while any
   * is watched, rather than a timer entry per task: a task then costs the timer nothing beyond its
   * alarm. The sweep stops itself once it has found none for {@value #IDLE_SWEEPS} sweeps in a row,
   * so an idle process is not woken 100 times a second, and the next watch starts it again.
   */
  private static final Set<Deadline> WATCHING = ConcurrentHashMap.newKeySet();

  /** Guards {@link #sweeper} and the adds to {@link #WATCHING} that decide whether it runs. */
  private static final Object SWEEP = new Object();

  private static ScheduledFuture<?> sweeper; // guarded by SWEEP; null while nothing is watched

  /**
   * Empty sweeps before the sweep stops (a second). Stopping at the first empty one made a server
   * answering one request at a time stop and restart it for every task, and each restart, like each
   * alarm that became the timer's earliest entry, woke the timer thread: 1.5 wake-ups per request
   * on two shared cores (docs/benchmarks.md §5.1). While the sweep is scheduled it is the earliest
   * entry, so arming and cancelling a task's alarm wakes nobody.
   */
  static final int IDLE_SWEEPS = 100;

  private static int idleSweeps; // guarded by SWEEP

  static void sweep() {
    for (Deadline d : WATCHING) d.passOnInterrupt();
    synchronized (SWEEP) {
      // a watch adds under this lock: it is seen here, or it finds no sweeper and starts one
      if (!WATCHING.isEmpty()) {
        idleSweeps = 0;
      } else if (sweeper != null && ++idleSweeps >= IDLE_SWEEPS) {
        sweeper.cancel(false);
        sweeper = null;
      }
    }
  }

  /** Whether the interrupt sweep is scheduled: for tests. */
  static boolean sweeping() {
    synchronized (SWEEP) {
      return sweeper != null;
    }
  }

  private final Thread target;
  private final ScheduledFuture<?> alarm;
  private boolean done;
  private boolean fired;
  private boolean preempted;
  private FlatMemory watched;

  private Deadline(Thread target, Duration timeout) {
    this.target = target;
    this.alarm = TIMER.schedule(this::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Arms a deadline for the current thread. */
  public static Deadline arm(Duration timeout) {
    return new Deadline(Thread.currentThread(), timeout);
  }

  private synchronized void fire() {
    if (!done) {
      fired = true;
      target.interrupt();
      if (watched != null) watched.requestStop();
    }
  }

  /**
   * Also stops compiled code running on {@code memory} when the deadline passes or the thread is
   * interrupted, until {@link #unwatch}. Call it before the task runs code and {@link #unwatch}
   * before the memory goes to another task.
   */
  public synchronized void watch(FlatMemory memory) {
    if (done) return;
    watched = memory;
    if (fired || target.isInterrupted()) memory.requestStop();
    synchronized (SWEEP) {
      WATCHING.add(this);
      idleSweeps = 0;
      if (sweeper == null)
        sweeper =
            TIMER.scheduleWithFixedDelay(
                Deadline::sweep, INTERRUPT_POLL_MS, INTERRUPT_POLL_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops signalling the watched memory; after this no stop request reaches it from here. */
  public synchronized void unwatch() {
    if (watched != null) {
      watched = null;
      WATCHING.remove(this);
    }
  }

  private synchronized void passOnInterrupt() {
    if (watched != null && target.isInterrupted()) watched.requestStop();
  }

  public synchronized boolean fired() {
    return fired;
  }

  /**
   * Also interrupts the thread when {@code trigger} completes before the deadline and before {@link
   * #close}: the tiered engine's signal that compiled code is ready for a task started in the
   * interpreter.
   */
  public void preemptWhen(java.util.concurrent.CompletableFuture<?> trigger) {
    trigger.whenComplete(
        (v, e) -> {
          if (e == null) preempt();
        });
  }

  private synchronized void preempt() {
    if (!done && !fired) {
      preempted = true;
      target.interrupt();
    }
  }

  /** Whether {@link #preemptWhen}'s trigger interrupted the thread. */
  public synchronized boolean preempted() {
    return preempted;
  }

  /** Disarms; clears the interrupt this deadline caused so the thread can be reused. */
  @Override
  public void close() {
    boolean clear;
    synchronized (this) {
      done = true;
      clear = fired || preempted;
    }
    unwatch();
    alarm.cancel(false);
    if (clear) {
      Thread.interrupted();
    }
  }
}
