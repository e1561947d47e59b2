package dev.weft.runtime.internal.run;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts the calling thread when a wall-clock deadline passes. Chicory checks the interrupt
 * flag in loops and calls, in the interpreter and in compiled code, so even an endless loop stops.
 * One shared timer thread serves all tasks; the task runs on its caller's thread, so a warm task
 * pays no thread hand-off.
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

  private final Thread target;
  private final ScheduledFuture<?> alarm;
  private boolean done;
  private boolean fired;
  private boolean preempted;

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
    }
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
    alarm.cancel(false);
    if (clear) {
      Thread.interrupted();
    }
  }
}
