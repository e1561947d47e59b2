package dev.weft.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskSampleTest {
  @Test
  void readsStampsAroundTheProgramsOwnOutput() {
    String out = "weft-bench start 1500\nHello, World!\nweft-bench end 2500 131072\n";
    TaskSample s = TaskSample.fromOutput(1000, 3000, out, "Hello, World!");
    assertThat(s.ok()).isTrue();
    assertThat(s.toCodeNanos()).isEqualTo(500);
    assertThat(s.codeNanos()).isEqualTo(1000);
    assertThat(s.endToEndNanos()).isEqualTo(2000);
    assertThat(s.peakBytes()).isEqualTo(131072);
  }

  @Test
  void failsWhenStampsOrExpectedOutputAreMissingOrClocksDisagree() {
    assertThat(TaskSample.fromOutput(0, 10, "Hello, World!\n", "Hello").error())
        .contains("no weft-bench start/end stamps");
    assertThat(
            TaskSample.fromOutput(0, 10, "weft-bench start 1\nweft-bench end 2 4\n", "Hello")
                .error())
        .contains("lacks 'Hello'");
    // a start stamp before the harness submitted the task: not the same clock
    TaskSample early =
        TaskSample.fromOutput(
            1000, 3000, "weft-bench start 10\nHello\nweft-bench end 2000 1\n", "Hello");
    assertThat(early.ok()).isFalse();
    assertThat(early.error()).contains("out of order").contains("start 10");
  }

  @Test
  void inputImageMatchesTheCGeneratorAndImageModule() {
    // `genppm 512 512 --text | image` prints checksum 20380006 (natively and as Wasm)
    assertThat(Inputs.expected(Workload.IMAGE))
        .isEqualTo("gray 512x512 maxval 126 checksum 20380006");
    byte[] img = Inputs.image(4, 2);
    assertThat(new String(img, 0, 11)).isEqualTo("P6\n4 2\n126\n");
    for (int i = 11; i < img.length; i++) assertThat(img[i] & 0xff).isBetween(32, 126);
  }
}
