package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * weft run's live tree in a real terminal (tmux) of a given width: every frame is erased whole, so
 * the final screen holds only the summary; no line is wider than the terminal, also after a resize.
 */
class LiveTreeTerminalTest {
  private static final Path TMUX = Path.of("/usr/bin/tmux");
  private static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules")).toAbsolutePath();

  /**
   * Two parallel steps, one with a long name and one skipped with a long message, then a step that
   * waits, so frames are drawn while it runs. No wasm: the JVM's start is the only cost.
   */
  private static Path workflow(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("wide.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: wide-tree}
        spec:
          entrypoint: main
          arguments: {parameters: [{name: greeting-target, value: a fairly long workflow parameter value}]}
          templates:
            - name: main
              steps:
                - - {name: say-hello-with-a-long-step-name, template: quick}
                  - {name: complain, template: quick, when: "'{{workflow.parameters.greeting-target}}' == 'nobody in particular at all'"}
                - - {name: wait, template: wait}
            - name: quick
              suspend: {duration: "0"}
            - name: wait
              suspend: {duration: 1s}
        """);
  }

  private record Tmux(String socket, Path dir) implements AutoCloseable {
    static Tmux start(Path dir, int width, List<String> command) throws Exception {
      assertThat(TMUX)
          .as(
              "tmux is missing: run the tests with .ci/test, which installs it, or `sudo apt-get install tmux`")
          .exists();
      Path script = dir.resolve("run.sh");
      List<String> quoted = new ArrayList<>();
      for (String c : command) quoted.add("'" + c.replace("'", "'\\''") + "'");
      Files.writeString(script, "#!/bin/sh\nexec " + String.join(" ", quoted) + "\n");
      Tmux t =
          new Tmux("weft-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), dir);
      t.tmux(
          "-f",
          "/dev/null",
          "new-session",
          "-d",
          "-s",
          "t",
          "-x",
          String.valueOf(width),
          "-y",
          "40",
          "sh");
      t.tmux("set-option", "-t", "t", "remain-on-exit", "on");
      t.tmux("respawn-pane", "-k", "-t", "t", "sh " + script);
      return t;
    }

    String tmux(String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of(TMUX.toString(), "-L", socket));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
      return out;
    }

    /**
     * The screen's lines, a line the terminal wrapped joined again (-J): so a line wider than the
     * screen shows as one.
     */
    List<String> screen() throws Exception {
      return tmux("capture-pane", "-p", "-J", "-t", "t")
          .lines()
          .map(String::stripTrailing)
          .toList();
    }

    /** Waits, by polling the screen, until it satisfies {@code condition} (bounded: 90 s). */
    List<String> await(Predicate<List<String>> condition, String what) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        List<String> s = screen();
        if (condition.test(s)) return s;
        Thread.sleep(50); // polling a condition, not ordering events
      }
      throw new AssertionError(
          "the terminal never showed " + what + "; last screen:\n" + String.join("\n", screen()));
    }

    boolean exited() throws Exception {
      return tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip().equals("1");
    }

    @Override
    public void close() throws Exception {
      new ProcessBuilder(TMUX.toString(), "-L", socket, "kill-server")
          .redirectErrorStream(true)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> weftRun(Path dir) throws IOException {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        "dev.weft.cli.Main",
        "run",
        workflow(dir).toString(),
        "--no-cache",
        "--runs-dir",
        dir.resolve("runs").toString(),
        "--artifacts",
        dir.resolve("a").toString());
  }

  private static List<String> awaitEnd(Tmux t) throws Exception {
    return t.await(
        s -> {
          try {
            return t.exited();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        "the run's end");
  }

  /**
   * Only the summary is left: one Name and Status (the summary's), one tree header, nothing wider
   * than the terminal.
   */
  private static void assertCleanSummary(List<String> screen, int width) {
    String all = String.join("\n", screen);
    assertFits(screen, width);
    assertThat(screen.stream().filter(l -> l.startsWith("Name:")))
        .as(all)
        .containsExactly("Name:       wide-tree");
    assertThat(screen.stream().filter(l -> l.startsWith("Status:")))
        .as(all)
        .containsExactly("Status:     Succeeded");
    assertThat(screen.stream().filter(l -> l.startsWith("STEP "))).as(all).hasSize(1);
    assertThat(screen).as(all).contains("Parameters:");
    assertThat(
            screen.stream()
                .filter(l -> l.startsWith("├─┬─") || l.startsWith("│ └─") || l.startsWith("└───")))
        .as(all)
        .hasSize(3);
  }

  private static void assertFits(List<String> screen, int width) {
    String all = String.join("\n", screen);
    for (String l : screen) {
      if (l.startsWith("weft run:") || l.startsWith("Pane is dead"))
        continue; // one-off lines before the tree, tmux's own
      assertThat(l.codePointCount(0, l.length()))
          .as("'%s' fits in %d columns:\n%s", l, width, all)
          .isLessThan(width);
    }
  }

  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {40, 100})
  void theLiveTreeLeavesOnlyTheSummaryAtAnyWidth(int width, @TempDir Path dir) throws Exception {
    try (Tmux t = Tmux.start(dir, width, weftRun(dir))) {
      List<String> frame =
          t.await(
              s ->
                  s.stream().anyMatch(l -> l.contains("✔ say-hello"))
                      && s.stream().anyMatch(l -> l.startsWith("Status:   Running")),
              "a live frame with the finished steps");
      assertFits(frame, width);
      assertCleanSummary(awaitEnd(t), width);
    }
  }

  @Test
  void aResizeWhileRunningLeavesNoStaleLines(@TempDir Path dir) throws Exception {
    try (Tmux t = Tmux.start(dir, 140, weftRun(dir))) {
      t.await(
          s ->
              s.stream().anyMatch(l -> l.contains("✔ say-hello-with-a-long-step-name"))
                  && s.stream().anyMatch(l -> l.startsWith("Status:   Running")),
          "a live frame with the finished steps");
      t.tmux("resize-window", "-t", "t", "-x", "50");
      assertCleanSummary(awaitEnd(t), 50);
    }
  }
}
