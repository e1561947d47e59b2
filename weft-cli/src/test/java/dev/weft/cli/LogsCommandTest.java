package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft run --logs, the run directory every run keeps, weft logs and weft list. */
class LogsCommandTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules")).toAbsolutePath();

  private static Path workflow(Path dir) throws Exception {
    return Files.writeString(
        dir.resolve("two.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: two-logs}
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - {name: greet, template: hello}
                  - {name: complain, template: fail, continueOn: {failed: true}}
            - name: hello
              inputs: {parameters: [{name: name, value: Logs}]}
              plugin: {wasm: {module: {file: EXAMPLES/hello/hello.wasm}}}
            - name: fail
              plugin: {wasm: {module: {file: EXAMPLES/adversarial/fail.wasm}, args: ["3"]}}
        """
            .replace("EXAMPLES", EXAMPLES.toString()));
  }

  @Test
  void runWithLogsPrintsEveryStepsOutputPrefixedAndKeepsItForWeftLogsAndList(@TempDir Path tmp)
      throws Exception {
    Path runs = tmp.resolve("runs");
    Cli.Run run =
        Cli.weft(
            "run",
            workflow(tmp).toString(),
            "--logs",
            "--runs-dir",
            runs.toString(),
            "--no-cache",
            "--artifacts",
            tmp.resolve("art").toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("greet: Hello, Logs!\n")
        .contains("complain: fail: failing on purpose with exit code 3\n")
        .contains("Logs:       weft logs two-logs\n");
    assertThat(run.out().indexOf("greet: Hello, Logs!"))
        .as("logs come before the summary")
        .isLessThan(run.out().indexOf("Name:"));

    JsonNode status = Jackson.MAPPER.readTree(runs.resolve("two-logs/status.json").toFile());
    assertThat(status.at("/status/phase").asText()).isEqualTo("Succeeded");

    Cli.Run logs = Cli.weft("logs", "two-logs", "--runs-dir", runs.toString());
    assertThat(logs.status()).isZero();
    assertThat(logs.out().lines())
        .containsExactlyInAnyOrder(
            "greet: Hello, Logs!", "complain: fail: failing on purpose with exit code 3");

    Cli.Run one = Cli.weft("logs", "two-logs", "complain", "--runs-dir", runs.toString());
    assertThat(one.out()).isEqualTo("complain: fail: failing on purpose with exit code 3\n");

    Cli.Run list = Cli.weft("list", "--runs-dir", runs.toString());
    assertThat(list.out().lines().toList()).hasSize(2);
    assertThat(list.out().lines().findFirst().orElseThrow())
        .matches("NAME +STATUS +AGE +DURATION +MESSAGE");
    assertThat(list.out().lines().skip(1).findFirst().orElseThrow())
        .matches("two-logs +Succeeded +\\d+s +[0-9.]+m?s");
  }

  @Test
  void withoutLogsTheOutputStaysInTheRunDirectory(@TempDir Path tmp) throws Exception {
    Path runs = tmp.resolve("runs");
    Cli.Run run =
        Cli.weft(
            "run",
            workflow(tmp).toString(),
            "--runs-dir",
            runs.toString(),
            "--no-cache",
            "--artifacts",
            tmp.resolve("art").toString());

    assertThat(run.out()).doesNotContain("Hello, Logs!").doesNotContain("complain: fail:");
    assertThat(Cli.weft("logs", "two-logs", "greet", "--runs-dir", runs.toString()).out())
        .isEqualTo("greet: Hello, Logs!\n");
  }

  @Test
  void anUnknownRunOrNodeIsNamed(@TempDir Path tmp) throws Exception {
    Path runs = tmp.resolve("runs");
    Cli.Run missing = Cli.weft("logs", "nope", "--runs-dir", runs.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "weft logs: no run named 'nope' in "
                + runs
                + " (weft list shows the runs kept there)\n");

    Cli.weft(
        "run",
        workflow(tmp).toString(),
        "--runs-dir",
        runs.toString(),
        "--no-cache",
        "--artifacts",
        tmp.resolve("art").toString());
    Cli.Run node = Cli.weft("logs", "two-logs", "gret", "--runs-dir", runs.toString());
    assertThat(node.status()).isEqualTo(2);
    assertThat(node.err()).isEqualTo("weft logs: run two-logs has no node 'gret'\n");
  }

  @Test
  void listWithNoRunsPrintsOnlyTheHeader(@TempDir Path tmp) {
    assertThat(Cli.weft("list", "--runs-dir", tmp.resolve("none").toString()).out())
        .isEqualTo("NAME  STATUS     AGE   DURATION  MESSAGE\n");
  }
}
