package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void sizesUseTheLargestUnitWithOneDecimal() {
    assertThat(Sizes.human(0)).isEqualTo("0 B");
    assertThat(Sizes.human(1023)).isEqualTo("1023 B");
    assertThat(Sizes.human(1024)).isEqualTo("1.0 KiB");
    assertThat(Sizes.human(42536)).isEqualTo("41.5 KiB");
    assertThat(Sizes.human(3L << 20)).isEqualTo("3.0 MiB");
    assertThat(Sizes.human(5L << 30)).isEqualTo("5.0 GiB");
  }
}
