package dev.weft.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one bounded wait for a state in the agent's tests (a node's phase, a metric): the condition
 * is checked again each time the API or a counter may have changed, up to a timeout that fails the
 * test naming what never happened. Tests wait for states, never sleep to order events; the pause
 * between checks only keeps the loop from spinning on the two shared cores.
 */
final class Await {
  private static final long RECHECK_NANOS = 10_000_000;

  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    until(() -> what, timeout, condition);
  }

  static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until)
        throw new AssertionError("not within " + timeout + ": " + what.get());
      java.util.concurrent.locks.LockSupport.parkNanos(RECHECK_NANOS);
      if (Thread.interrupted()) throw new InterruptedException("waiting for " + what.get());
    }
  }
}
