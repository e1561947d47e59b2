package dev.weft.agent;

import java.time.Clock;
import java.time.Instant;

/**
 * Node timestamps ({@code startedAt}, {@code finishedAt}) as Argo writes them: RFC 3339 in UTC,
 * whole seconds. Every task needs two and most tasks of a busy replica share their second, so the
 * text of the current second is kept: formatting it with {@code Instant.toString} was about 3% of a
 * worker's CPU per {@code hello} task.
 */
final class Timestamps {
  private record Second(long epochSecond, String text) {}

  private final Clock clock;
  private volatile Second last = new Second(Long.MIN_VALUE, "");

  Timestamps(Clock clock) {
    this.clock = clock;
  }

  /** The clock's current second, e.g. {@code 2026-12-02T12:38:20Z}. */
  String now() {
    long s = Math.floorDiv(clock.millis(), 1000L);
    Second l = last;
    if (l.epochSecond() == s) return l.text();
    String text = Instant.ofEpochSecond(s).toString();
    last = new Second(s, text);
    return text;
  }
}
