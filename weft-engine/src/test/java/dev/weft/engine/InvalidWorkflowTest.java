package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Workflows weft run refuses before running anything: the error names the field and its line. */
class InvalidWorkflowTest {
  private static InvalidWorkflowException invalid(String yaml) {
    try {
      WorkflowParser.parse(yaml, Path.of("."));
    } catch (InvalidWorkflowException e) {
      return e;
    }
    throw new AssertionError("accepted: " + yaml);
  }

  private static final String HEAD =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Workflow
      metadata: {generateName: bad-}
      spec:
        entrypoint: main
        templates:
      """;

  @Test
  void unknownTemplateFieldIsNamedWithItsLine() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            memoize: {key: x}
            suspend: {duration: 1s}
        """);

    assertThat(e.field()).isEqualTo("spec.templates[0].memoize");
    assertThat(e.line()).isEqualTo(8);
    assertThat(e.getMessage())
        .startsWith("spec.templates[0].memoize (line 8): is not supported by weft run");
  }

  @Test
  void aFieldArgoDoesNotHaveIsUnknownWithTheClosestKnownOne() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            retryStrategie: {limit: 1}
            suspend: {duration: 1s}
        """);

    assertThat(e.line()).isEqualTo(8);
    assertThat(e.problem())
        .startsWith("unknown field 'retryStrategie' (did you mean 'retryStrategy'?)");
  }

  @Test
  void unknownStepFieldIsNamed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            steps:
              - - name: a
                  template: main
                  templateRef: {name: x, template: y}
        """);

    assertThat(e.field()).isEqualTo("spec.templates[0].steps[0][0].templateRef");
    assertThat(e.line()).isEqualTo(11);
  }

  @Test
  void templateWithTwoKindsIsRefused() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            suspend: {}
            container: {image: alpine}
        """);

    assertThat(e.getMessage())
        .contains("template 'main' must have exactly one of")
        .contains("found [suspend, container]");
    assertThat(e.line()).isEqualTo(7);
  }

  @Test
  void otherPluginsAreRefused() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            plugin: {hello: {}}
        """);

    assertThat(e.field()).isEqualTo("spec.templates[0].plugin.hello");
    assertThat(e.getMessage()).contains("weft run executes only 'plugin: wasm:' templates");
  }

  @Test
  void missingTemplateIsNamed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            steps:
              - - {name: a, template: nowhere}
        """);

    assertThat(e.getMessage())
        .contains("step 'a'")
        .contains("names template 'nowhere', which does not exist");
    assertThat(e.line()).isEqualTo(9);
  }

  @Test
  void entrypointMustExist() {
    InvalidWorkflowException e =
        invalid(
            HEAD.replace("entrypoint: main", "entrypoint: other")
                + """
          - name: main
            suspend: {duration: 1s}
        """);

    assertThat(e.field()).isEqualTo("spec.entrypoint");
    assertThat(e.line()).isEqualTo(5);
  }

  @Test
  void dependencyCycleIsNamed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            dag:
              tasks:
                - {name: a, template: main, depends: b}
                - {name: b, template: main, dependencies: [a]}
        """);

    assertThat(e.getMessage()).contains("dependency cycle a -> b -> a");
  }

  @Test
  void badDependsIsNamed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            dag:
              tasks:
                - {name: a, template: main}
                - {name: b, template: main, depends: "a.Finished"}
        """);

    assertThat(e.getMessage()).contains("'a.Finished': unknown task result");
    assertThat(e.line()).isEqualTo(11);
  }

  @Test
  void dependsOnUnknownTaskIsNamed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            dag:
              tasks:
                - {name: b, template: main, depends: "ghost && b2"}
                - {name: b2, template: main}
        """);

    assertThat(e.getMessage()).contains("names task 'ghost', which is not in this DAG");
  }

  @Test
  void brokenYamlGivesTheLine() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            steps: [[
        """);

    assertThat(e.getMessage()).contains("not valid YAML");
    assertThat(e.line()).isGreaterThan(0);
  }

  @Test
  void suspendWithoutDurationCannotBeResumed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            suspend: {}
        """);

    assertThat(e.getMessage())
        .contains("cannot resume a suspended workflow: give suspend.duration");
  }

  @Test
  void daemonStepsAreRefusedByNameNotRunToTheirEnd() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            daemon: true
            suspend: {duration: 1s}
        """);

    assertThat(e.getMessage())
        .contains("spec.templates[0].daemon")
        .contains("is not supported by weft run");
  }

  @Test
  void lifecycleHooksOtherThanExitNeedAnExpression() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            steps:
              - - {name: a, template: leaf, hooks: {running: {template: leaf}}}
          - name: leaf
            suspend: {duration: 1s}
        """);

    assertThat(e.getMessage()).contains("hooks.running.expression").contains("is required");
  }

  @Test
  void clusterOnlyFieldsAreWarnedAboutNotRefused() {
    Model.Workflow wf =
        WorkflowParser.parse(
            HEAD.replace("entrypoint: main", "entrypoint: main\n  serviceAccountName: argo")
                + """
          - name: main
            suspend: {duration: 1s}
        """,
            Path.of("."));

    assertThat(wf.warnings())
        .containsExactly(
            "spec.serviceAccountName (line 6) has no effect in weft run and is ignored");
  }

  @Test
  void cronWorkflowKindIsRefusedWithAHint() {
    InvalidWorkflowException e =
        invalid(
            HEAD.replace("kind: Workflow", "kind: CronWorkflow")
                + """
          - name: main
            suspend: {duration: 1s}
        """);

    assertThat(e.field()).isEqualTo("kind");
    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void unsupportedArtifactLocationIsNamed() {
    InvalidWorkflowException e =
        invalid(
            HEAD
                + """
          - name: main
            inputs:
              artifacts:
                - name: data
                  path: /data
                  s3: {key: x}
            suspend: {duration: 1s}
        """);

    assertThat(e.field()).isEqualTo("spec.templates[0].inputs.artifacts[0].s3");
    assertThat(e.line()).isEqualTo(12);
  }

  @Test
  void invalidWasmBlockFailsTheStepNamingTheField() {
    assertThatThrownBy(
            () ->
                invalid(
                    HEAD
                        + """
          - name: main
            plugin: {wasm: {module: {file: x.wasm}}}
        """))
        .isInstanceOf(AssertionError.class); // parses: the wasm block is checked when the step runs
    WorkflowStatus s =
        Runs.yaml(
            HEAD
                + """
          - name: main
            plugin: {wasm: {modul: {file: x.wasm}}}
        """);
    assertThat(s.phase()).isEqualTo(NodePhase.Error);
    assertThat(s.root().message())
        .isEqualTo(
            "invalid wasm step: plugin.wasm.module: is required: give one of file, http or oci");
  }
}
