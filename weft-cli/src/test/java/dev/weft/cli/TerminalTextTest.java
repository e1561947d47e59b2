package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runtime.Engine;
import dev.weft.runtime.FailureKind;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.Timings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What a module says cannot drive the terminal weft prints it on. */
class TerminalTextTest {
  @Test
  void controlCharactersBecomeVisibleEscapes() {
    assertThat(TerminalText.line("a\u001b[2Jb\rc\u0000d\u009be\nf"))
        .isEqualTo("a\\e[2Jb\\rc\\u0000d\\u009be\\nf");
    assertThat(TerminalText.block("one\n\ttwo\u001b[1A")).isEqualTo("one\n\ttwo\\e[1A");
    assertThat(TerminalText.line("plain text, ünïcode")).isEqualTo("plain text, ünïcode");
  }

  @Test
  void aFailedResultsMessageAndOutputCannotFakeASuccess() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    TaskResult r =
        new TaskResult(
            Phase.Failed,
            "boom\u001b[2J\rfake: Succeeded",
            Optional.of(FailureKind.MODULE_REPORTED),
            List.of(),
            List.of(),
            "",
            OptionalInt.of(1),
            "out\u001b]0;title\u0007\n",
            false,
            "err\u0000",
            false,
            0,
            new Timings(0, 0, 0, 0, 0),
            "sha256:00",
            Engine.INTERPRETER);

    new ResultPrinter(new PrintWriter(out), new PrintWriter(err)).print(r, null, false);

    // weft's own summary line is escaped: the message cannot clear the screen or fake a result line
    String summary =
        err.toString().lines().filter(l -> l.contains("Failed:")).findFirst().orElseThrow();
    assertThat(summary)
        .doesNotContain("\u001b")
        .doesNotContain("\r")
        .isEqualTo("Failed: boom\\e[2J\\rfake: Succeeded");
    // the module's own output passes through unchanged, as wasmtime passes it (a module may print
    // colours)
    assertThat(out.toString()).isEqualTo("out\u001b]0;title\u0007\n");
    assertThat(err.toString()).startsWith("err\u0000");
  }
}
