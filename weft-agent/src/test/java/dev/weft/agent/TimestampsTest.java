package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  /** A clock the test moves. */
  static final class Manual extends Clock {
    Instant now;

    Manual(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void theTextIsTheSecondAsArgoWritesItAndFollowsTheClock() {
    Manual clock = new Manual(Instant.parse("2026-12-02T12:38:20.999Z"));
    Timestamps t = new Timestamps(clock);
    for (String at :
        new String[] {
          "2026-12-02T12:38:20.999Z",
          "2026-12-02T12:38:21.000Z",
          "2026-12-02T12:38:21.500Z",
          "2026-12-31T23:59:59.999Z",
          "2027-01-01T00:00:00Z",
          "1969-12-31T23:59:59.500Z", // before the epoch: floor, not truncation toward zero
          "1970-01-01T00:00:00Z"
        }) {
      clock.now = Instant.parse(at);
      assertThat(t.now())
          .as(at)
          .isEqualTo(clock.now.truncatedTo(ChronoUnit.SECONDS).toString())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }
  }

  @Test
  void withinOneSecondTheSameTextIsReused() {
    Manual clock = new Manual(Instant.parse("2026-12-02T12:38:20.100Z"));
    Timestamps t = new Timestamps(clock);
    String first = t.now();
    clock.now = Instant.parse("2026-12-02T12:38:20.900Z");
    assertThat(t.now()).isSameAs(first);
    clock.now = Instant.parse("2026-12-02T12:38:21.000Z");
    assertThat(t.now()).isNotSameAs(first).isEqualTo("2026-12-02T12:38:21Z");
  }
}
