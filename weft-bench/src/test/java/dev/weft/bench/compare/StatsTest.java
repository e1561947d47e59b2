package dev.weft.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankPercentilesOfUnsortedValues() {
    long[] v = {50, 10, 40, 20, 30, 100, 90, 80, 70, 60};
    assertThat(Stats.percentile(v, 50)).isEqualTo(50);
    assertThat(Stats.percentile(v, 95)).isEqualTo(100);
    assertThat(Stats.percentile(v, 10)).isEqualTo(10);
    assertThat(Stats.percentile(v, 11)).isEqualTo(20);
    assertThat(Stats.percentile(v, 100)).isEqualTo(100);
    assertThat(v[0]).as("input left unsorted").isEqualTo(50);
  }

  @Test
  void p99OfAHundredIsTheNinetyNinthValue() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) v[i] = i + 1;
    assertThat(Stats.percentile(v, 99)).isEqualTo(99);
    assertThat(Stats.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void emptyIsNaNAndBadPercentilesAreRefused() {
    assertThat(Stats.percentile(new long[0], 50)).isNaN();
    assertThat(Stats.mean(new long[0])).isNaN();
    assertThat(Stats.mean(new long[] {1, 2, 6})).isEqualTo(3.0);
    assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 0))
        .hasMessageContaining("(0, 100]")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 101)).hasMessageContaining("101");
  }
}
