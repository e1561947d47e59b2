package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft lint} and the same checks at the start of {@code weft run}. */
class LintCommandTest {
  private static final Path WORKFLOWS =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .resolve("../workflows")
          .normalize();
  private static final String HELLO =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .resolve("hello/hello.wasm")
          .toAbsolutePath()
          .toString();

  private static final String BAD =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Workflow
      metadata: {generateName: bad-}
      spec:
        entrypoint: main
        templates:
          - name: main
            steps:
              - - name: one
                  template: hello
              - - name: two
                  template: hello
                  arguments:
                    parameters:
                      - name: name
                        value: "{{steps.oen.outputs.result}}"
              - - name: three
                  template: hello
                  arguments:
                    parameters:
                      - name: name
                        value: "{{steps.one.outputs.parameters.greting}}"
          - name: hello
            inputs: {parameters: [{name: name, value: x}]}
            outputs: {parameters: [{name: greeting, valueFrom: {supplied: {}}}]}
            plugin:
              wasm:
                module: {file: HELLO}
                limits: {memory: lots, timeout: soon}
          - name: missing
            plugin: {wasm: {module: {file: nowhere/missing.wasm}}}
      """;

  @Test
  void reportsEveryProblemWithFileAndLine(@TempDir Path dir) throws Exception {
    Path wf = Files.writeString(dir.resolve("bad.yaml"), BAD.replace("HELLO", HELLO));
    Cli.Run r = Cli.weft("lint", wf.toString());

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out().lines())
        .containsExactly(
            wf
                + ":16: spec.templates[0].steps[1][0].arguments.parameters[0].value: 'steps.oen' names step 'oen', which does not exist (did you mean 'one'?)",
            wf
                + ":22: spec.templates[0].steps[2][0].arguments.parameters[0].value: 'steps.one.outputs.parameters.greting': template 'hello' declares no output"
                + " parameter 'greting' (did you mean 'greeting'?)",
            wf
                + ":29: spec.templates[1].plugin.wasm.limits.memory: must be a size such as 64Mi or 256MiB, found 'lots'",
            wf
                + ":29: spec.templates[1].plugin.wasm.limits.timeout: must be a duration such as 30s or 1m30s, found 'soon'",
            wf
                + ":31: spec.templates[2].plugin.wasm.module.file: module file 'nowhere/missing.wasm' does not exist (looked for "
                + dir.resolve("nowhere/missing.wasm")
                + ")",
            "5 problems found");
  }

  @Test
  void runRefusesTheSameWorkflowBeforeAnyStepRuns(@TempDir Path dir) throws Exception {
    Path wf = Files.writeString(dir.resolve("bad.yaml"), BAD.replace("HELLO", HELLO));
    Cli.Run r =
        Cli.weft("run", wf.toString(), "--artifacts", dir.resolve("art").toString(), "--no-cache");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(5).allMatch(l -> l.startsWith("weft run: " + wf + ":"));
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anUnknownFieldIsCalledUnknownWithTheClosestKnownName(@TempDir Path dir) throws Exception {
    Path wf =
        Files.writeString(
            dir.resolve("typo.yaml"),
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {generateName: typo-}
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: one
                    tempalte: main
        """);
    Cli.Run r = Cli.weft("lint", wf.toString());

    assertThat(r.out())
        .startsWith(
            wf
                + ":10: spec.templates[0].steps[0][0].tempalte: unknown field 'tempalte' (did you mean 'template'?)");
  }

  @Test
  void everyExampleWorkflowIsClean() throws Exception {
    List<String> args = new ArrayList<>(List.of("lint"));
    try (Stream<Path> s = Files.list(WORKFLOWS)) {
      s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> args.add(p.toString()));
    }
    assertThat(args).hasSizeGreaterThan(5);
    Cli.Run r = Cli.weft(args.toArray(String[]::new));

    assertThat(r.out()).isEqualTo("no problems found\n");
    assertThat(r.status()).isZero();
  }

  @Test
  void aMissingFileOrAFileThatIsNotYamlIsOneLine(@TempDir Path dir) throws Exception {
    Path notYaml = Files.writeString(dir.resolve("notes.md"), "# notes\n\n**bold** text\n");
    Path missing = dir.resolve("absent.yaml");

    Cli.Run run = Cli.weft("run", missing.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("weft run: " + missing + ": no such file\n");

    Cli.Run lint = Cli.weft("lint", notYaml.toString());
    assertThat(lint.out().lines().toList()).hasSize(2);
    assertThat(lint.out()).startsWith(notYaml + ":3: not valid YAML: ");
  }

  @Test
  void aWorkflowArgumentTheWorkflowDoesNotDeclareIsAnError() {
    Cli.Run r =
        Cli.weft(
            "run", WORKFLOWS.resolve("hello-world.yaml").toString(), "-p", "nme=x", "--no-cache");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "weft run: -p nme: the workflow declares no parameter 'nme' in spec.arguments.parameters (it declares: name)\n");
  }
}
