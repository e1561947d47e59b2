package dev.weft.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for a condition: tests wait for states, never sleep to order events. */
final class Await {
  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until)
        throw new AssertionError("not within " + timeout + ": " + what);
      Thread.sleep(10);
    }
  }
}
