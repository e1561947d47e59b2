package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Argo's rules, one workflow each: failure propagation, skipped and omitted nodes, loops, retries,
 * deadlines.
 */
class SemanticsTest {
  /** A workflow around the given templates, with argosay as template "say" (args: cmd, arg). */
  static String wf(String entry, String templates) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {generateName: t-}
        spec:
          entrypoint: %s
          templates:
        %s
            - name: say
              inputs:
                parameters:
                  - name: cmd
                    default: echo
                  - name: arg
                    default: hi
              plugin:
                wasm:
                  module: {file: argosay/argosay.wasm}
                  args: ["{{inputs.parameters.cmd}}", "{{inputs.parameters.arg}}"]
        """
        .formatted(entry, templates.indent(4));
  }

  static String fail = "{parameters: [{name: cmd, value: exit}, {name: arg, value: '1'}]}";

  @Test
  void aFailedStepFailsItsGroupAndTheWorkflowAndLaterGroupsDoNotRun() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: ok, template: say}
              - {name: bad, template: say, arguments: %s}
            - - {name: never, template: say}
        """
                    .formatted(fail)));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    String id = Runs.node(s, "bad").id();
    assertThat(Runs.node(s, "[0]").message()).isEqualTo("child '" + id + "' failed");
    assertThat(s.root().message()).isEqualTo("child '" + id + "' failed");
    assertThat(s.message()).isEqualTo("child '" + id + "' failed");
    assertThat(s.nodes()).extracting(n -> n.displayName()).doesNotContain("never", "[1]");
    assertThat(Runs.phase(s, "ok")).isEqualTo(NodePhase.Succeeded);
  }

  @Test
  void continueOnFailedLetsTheWorkflowGoOn() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: bad, template: say, arguments: %s, continueOn: {failed: true}}
            - - name: after
                template: say
                arguments: {parameters: [{name: arg, value: "bad was {{steps.bad.status}}"}]}
        """
                    .formatted(fail)));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.phase(s, "bad")).isEqualTo(NodePhase.Failed);
    assertThat(Runs.node(s, "after").outputs().result()).contains("bad was Failed");
  }

  @Test
  void dagOmitsTasksWhoseDependsIsNotMetAndRunsFailureHandlers() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          dag:
            tasks:
              - {name: A, template: say, arguments: %s}
              - {name: B, template: say, depends: A}
              - {name: C, template: say, depends: A.Failed}
              - {name: D, template: say, depends: "B || C"}
              - {name: E, template: say, depends: "!A.Succeeded && (C.Succeeded || C.Skipped)"}
        """
                    .formatted(fail)));

    assertThat(Runs.phase(s, "A")).isEqualTo(NodePhase.Failed);
    Node b = Runs.node(s, "B");
    assertThat(b.phase()).isEqualTo(NodePhase.Omitted);
    assertThat(b.type()).isEqualTo(NodeType.Skipped);
    assertThat(b.message()).isEqualTo("omitted: depends condition not met");
    assertThat(Runs.phase(s, "C")).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.phase(s, "D")).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.phase(s, "E")).isEqualTo(NodePhase.Succeeded);
    assertThat(s.phase())
        .as("targets D and E succeeded: the failure was handled")
        .isEqualTo(NodePhase.Succeeded);
  }

  @Test
  void dagFailsWhenATargetBranchFailedButDagFailFastStopsNothing() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          dag:
            tasks:
              - {name: A, template: say, arguments: %s}
              - {name: B, template: say, depends: A}
              - {name: slow, template: say, arguments: {parameters: [{name: cmd, value: sleep}, {name: arg, value: "300"}]}}
              - {name: after-slow, template: say, depends: slow}
        """
                    .formatted(fail)));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(s.root().message()).as("dag.go marks a failed DAG without a message").isEmpty();
    assertThat(Runs.phase(s, "B")).isEqualTo(NodePhase.Omitted);
    assertThat(Runs.phase(s, "slow")).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.phase(s, "after-slow"))
        .as("dag.failFast decides the DAG's phase, not what runs")
        .isEqualTo(NodePhase.Succeeded);
  }

  @Test
  void dagWithoutFailFastRunsEverythingThenFails() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          dag:
            failFast: false
            tasks:
              - {name: A, template: say, arguments: %s}
              - {name: slow, template: say, arguments: {parameters: [{name: cmd, value: sleep}, {name: arg, value: "200"}]}}
              - {name: after-slow, template: say, depends: slow}
        """
                    .formatted(fail)));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(Runs.phase(s, "after-slow")).isEqualTo(NodePhase.Succeeded);
  }

  @Test
  void dagTargetRunsOnlyTheTargetsAndTheirAncestors() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          inputs:
            parameters: [{name: target, value: "C"}]
          dag:
            target: "{{inputs.parameters.target}}"
            tasks:
              - {name: A, template: say}
              - {name: B, template: say, dependencies: [A]}
              - {name: C, template: say, dependencies: [A]}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.nodes()).extracting(n -> n.displayName()).contains("A", "C").doesNotContain("B");
  }

  @Test
  void dagLoopAggregatesTaskResults() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          dag:
            tasks:
              - name: parity
                template: say
                arguments: {parameters: [{name: cmd, value: parity}, {name: arg, value: "{{item}}"}]}
                withItems: [1, 2, 3]
              - name: all
                template: say
                dependencies: [parity]
                arguments: {parameters: [{name: arg, value: "{{tasks.parity.outputs.result}}"}]}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "parity").type()).isEqualTo(NodeType.TaskGroup);
    assertThat(s.nodes())
        .filteredOn(n -> n.parentId().equals(Runs.node(s, "parity").id()))
        .hasSize(3);
    assertThat(Runs.node(s, "all").outputs().result()).contains("[\"odd\",\"even\",\"odd\"]");
  }

  @Test
  void withSequenceCountsUpDownAndFormats() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: up, template: say, arguments: {parameters: [{name: arg, value: "{{item}}"}]}, withSequence: {count: "3", start: "5"}}
              - {name: down, template: say, arguments: {parameters: [{name: arg, value: "{{item}}"}]}, withSequence: {start: "2", end: "0"}}
              - {name: fmt, template: say, arguments: {parameters: [{name: arg, value: "{{item}}"}]}, withSequence: {count: "2", start: "10", format: "user%02X"}}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.nodes())
        .extracting(n -> n.displayName())
        .contains(
            "up(0:5)",
            "up(1:6)",
            "up(2:7)",
            "down(0:2)",
            "down(1:1)",
            "down(2:0)",
            "fmt(0:user0A)",
            "fmt(1:user0B)");
  }

  @Test
  void emptyWithParamIsSkipped() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: none, template: say, withParam: "[]"}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "none").phase()).isEqualTo(NodePhase.Skipped);
    assertThat(Runs.node(s, "none").message()).isEqualTo("Skipped, empty params");
  }

  @Test
  void badWithParamIsAnError() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: bad, template: say, withParam: "not json"}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(Runs.node(s, "bad").phase()).isEqualTo(NodePhase.Error);
    assertThat(Runs.node(s, "bad").message())
        .isEqualTo("withParam value could not be parsed as a JSON list: not json");
  }

  @Test
  void retriesStopWhenTheLimitIsReached() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          retryStrategy: {limit: 2}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [exit, "3"]
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(s.root().message()).isEqualTo("No more retries left");
    assertThat(s.nodes())
        .extracting(n -> n.displayName())
        .containsExactly(s.name(), s.name() + "(0)", s.name() + "(1)", s.name() + "(2)");
  }

  @Test
  void onErrorPolicyDoesNotRetryFailures() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          retryStrategy: {limit: 5, retryPolicy: OnError}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [exit, "3"]
        """));

    assertThat(s.nodes()).hasSize(2);
    assertThat(s.root().message()).isEqualTo("Error (exit code 3)");
  }

  @Test
  void backoffMaxDurationEndsRetries() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          retryStrategy: {limit: 10, backoff: {duration: 100ms, factor: 2, maxDuration: 250ms}}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [exit, "3"]
        """));

    assertThat(s.root().message()).isEqualTo("Max duration limit exceeded");
    assertThat(s.nodes().size()).isBetween(2, 4);
  }

  @Test
  void templateTimeoutStopsAStep() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          timeout: 200ms
          plugin:
            wasm:
              module: {file: adversarial/loop.wasm}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(s.root().message()).isEqualTo("Step exceeded its deadline");
    assertThat(Duration.between(s.startedAt(), s.finishedAt())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void workflowDeadlineFailsRunningAndPendingSteps() {
    WorkflowStatus s =
        Runs.yaml(
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: deadline}
        spec:
          entrypoint: main
          activeDeadlineSeconds: 1
          templates:
            - name: main
              steps:
                - - {name: wait, template: wait}
                - - {name: never, template: wait}
            - name: wait
              suspend: {duration: 30s}
        """);

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(Runs.node(s, "wait").message()).isEqualTo("Step exceeded its deadline");
    assertThat(Duration.between(s.startedAt(), s.finishedAt())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void suspendWithADurationWaitsThenSucceeds() {
    WorkflowStatus s =
        Runs.yaml(
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: pause}
        spec:
          entrypoint: wait
          templates:
            - name: wait
              suspend: {duration: 300ms}
        """);

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.root().type()).isEqualTo(NodeType.Suspend);
    assertThat(Duration.between(s.root().startedAt().get(), s.root().finishedAt().get()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(290));
  }

  @Test
  void templateParallelismRunsChildrenOneAtATime() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          parallelism: 1
          steps:
            - - name: s
                template: say
                arguments: {parameters: [{name: cmd, value: sleep}, {name: arg, value: "50"}]}
                withItems: [a, b, c]
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    List<Node> leaves =
        s.nodes().stream()
            .filter(n -> n.type() == NodeType.Plugin)
            .sorted(java.util.Comparator.comparing(n -> n.startedAt().get()))
            .toList();
    assertThat(leaves).hasSize(3);
    for (int i = 1; i < leaves.size(); i++)
      assertThat(leaves.get(i).startedAt().get())
          .isAfterOrEqualTo(leaves.get(i - 1).finishedAt().get());
  }

  @Test
  void workflowParallelismBoundsLeavesAcrossTheWorkflow() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                    "main",
                    """
        - name: main
          dag:
            tasks:
              - {name: a, template: say, arguments: {parameters: [{name: cmd, value: sleep}, {name: arg, value: "50"}]}}
              - {name: b, template: say, arguments: {parameters: [{name: cmd, value: sleep}, {name: arg, value: "50"}]}}
        """)
                .replace("entrypoint: main", "entrypoint: main\n  parallelism: 1"));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    Node a = Runs.node(s, "a");
    Node b = Runs.node(s, "b");
    Node first = a.startedAt().get().isBefore(b.startedAt().get()) ? a : b;
    Node second = first == a ? b : a;
    assertThat(second.startedAt().get()).isAfterOrEqualTo(first.finishedAt().get());
  }

  @Test
  void containerTemplatesSayTheyNeedAContainerEngine() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          container: {image: alpine, command: [echo, hi]}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Error);
    assertThat(s.root().type()).isEqualTo(NodeType.Pod);
    assertThat(s.root().message())
        .isEqualTo(
            "template 'main' is a container template; weft run has no container engine (use plugin: wasm:)");
  }

  @Test
  void aStepThatLeavesAnInputWithoutDefaultUnsuppliedIsRefusedBeforeRunning() {
    String yaml =
        wf(
            "main",
            """
        - name: main
          steps:
            - - {name: s, template: needs}
        - name: needs
          inputs: {parameters: [{name: x}]}
          suspend: {duration: "0"}
        """);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Runs.yaml(yaml))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("templates.needs inputs.parameters.x was not supplied");
  }

  @Test
  void outputOfASkippedStepFallsBackToTheInputDefault() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: maybe, template: say, when: "1 == 2"}
            - - name: use
                template: say
                arguments: {parameters: [{name: arg, value: "{{steps.maybe.outputs.result}}"}]}
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "maybe").message()).isEqualTo("when '1 == 2' evaluated false");
    assertThat(Runs.node(s, "use").outputs().result()).contains("hi");
  }

  @Test
  void unresolvedReferenceIsAnErrorNamingIt() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - name: use
                template: say
                arguments: {parameters: [{name: arg, value: "x {{steps.nope.outputs.result}}"}]}
        """));

    assertThat(Runs.node(s, "use").phase()).isEqualTo(NodePhase.Error);
    assertThat(Runs.node(s, "use").type())
        .as("a node that never ran is typed by its template, not Skipped")
        .isEqualTo(NodeType.Plugin);
    assertThat(Runs.node(s, "use").message())
        .isEqualTo("failed to resolve {{steps.nope.outputs.result}}");
  }

  @Test
  void globalOutputsAreExported() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - {name: make, template: make}
            - - name: use
                template: say
                arguments: {parameters: [{name: arg, value: "{{workflow.outputs.parameters.shared}}"}]}
        - name: make
          outputs:
            parameters:
              - {name: v, globalName: shared, valueFrom: {path: /tmp/v}}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [echo, global value, /tmp/v]
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.outputParameters()).containsEntry("shared", "global value");
    assertThat(Runs.node(s, "use").outputs().result()).contains("global value");
  }

  @Test
  void workflowArgumentsReachTheEntrypointAndGlobals() {
    WorkflowStatus s =
        Runs.yaml(
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: args}
        spec:
          entrypoint: main
          arguments:
            parameters: [{name: who, value: nobody}]
          templates:
            - name: main
              inputs:
                parameters: [{name: who}]
              plugin:
                wasm:
                  module: {file: argosay/argosay.wasm}
                  args: [echo, "{{inputs.parameters.who}} in {{workflow.name}} / {{workflow.parameters.who}}"]
        """,
            Map.of("who", "alice"));

    assertThat(s.name()).isEqualTo("args");
    assertThat(s.root().outputs().result()).contains("alice in args / alice");
  }

  @Test
  void loopedStepOutputParameterIsAJsonList() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          steps:
            - - name: n
                template: write
                arguments: {parameters: [{name: v, value: "{{item}}"}]}
                withItems: [a, b]
            - - name: all
                template: say
                arguments: {parameters: [{name: arg, value: "{{steps.n.outputs.parameters.v}}"}]}
        - name: write
          inputs: {parameters: [{name: v}]}
          outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [echo, "{{inputs.parameters.v}}", /tmp/v]
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "all").outputs().result()).contains("[\"a\",\"b\"]");
  }

  @Test
  void dagTaskExitHookRunsWithTheTaskStatus() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          dag:
            tasks:
              - name: a
                template: say
                arguments: %s
                hooks:
                  exit:
                    template: say
                    arguments: {parameters: [{name: arg, value: "a was {{tasks.a.status}}"}]}
        """
                    .formatted(fail)));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(Runs.node(s, "a.onExit").outputs().result()).contains("a was Failed");
    assertThat(Runs.node(s, "a").children()).contains(Runs.node(s, "a.onExit").id());
  }

  @Test
  void workflowTemplateRunsLikeAWorkflow() {
    WorkflowStatus s =
        Runs.yaml(
            """
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: tmpl}
        spec:
          entrypoint: main
          templates:
            - name: main
              plugin:
                wasm:
                  module: {file: argosay/argosay.wasm}
                  args: [echo, from a template]
        """);

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.root().outputs().result()).contains("from a template");
  }

  @Test
  void failFastStopsStartingSiblingsAfterAFailure() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          parallelism: 1
          failFast: true
          steps:
            - - name: s
                template: say
                arguments: {parameters: [{name: cmd, value: "{{item}}"}, {name: arg, value: "1"}]}
                withItems: [exit, echo, echo]
        """));

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(s.nodes())
        .extracting(n -> n.displayName())
        .contains("s(0:exit)")
        .doesNotContain("s(1:echo)", "s(2:echo)");
  }

  @Test
  void templateDefaultsApplyWhereATemplateSetsNothing() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                    "main",
                    """
        - name: main
          steps:
            - - {name: flaky, template: flaky}
        - name: flaky
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [fail-until, "1", "{{retries}}"]
        """)
                .replace(
                    "entrypoint: main",
                    "entrypoint: main\n  templateDefaults:\n    retryStrategy: {limit: 2}"));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.nodes())
        .extracting(n -> n.displayName() + ":" + n.phase())
        .contains("flaky:Succeeded", "flaky(0):Failed", "flaky(1):Succeeded");
  }

  @Test
  void expressionsComputeArgumentsAndOutputs() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          inputs:
            parameters: [{name: n, value: "20"}]
          steps:
            - - name: double
                template: say
                arguments: {parameters: [{name: arg, value: "{{=asInt(inputs.parameters.n) * 2}}"}]}
          outputs:
            parameters:
              - name: shout
                valueFrom: {expression: "upper(steps.double.outputs.result) + '!'"}
        """));

    assertThat(s.phase()).as(s.root().message()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "double").outputs().result()).contains("40");
    assertThat(s.root().outputs().parameters()).containsEntry("shout", "40!");
  }

  @Test
  void retryExpressionStopsRetries() {
    WorkflowStatus s =
        Runs.yaml(
            wf(
                "main",
                """
        - name: main
          retryStrategy: {limit: 5, expression: "asInt(lastRetry.exitCode) == 1"}
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [exit, "3"]
        """));

    assertThat(s.nodes()).hasSize(2);
    assertThat(s.root().message()).isEqualTo("retryStrategy.expression evaluated to false");
  }

  @Test
  void anInputArtifactDeclaredRightUnderTheRootIsFlaggedWhereAPlainWasiModuleWillNotFindIt() {
    Model.Workflow w =
        WorkflowParser.parse(
            wf(
                "main",
                """
        - name: main
          inputs:
            artifacts: [{name: art, path: /art, raw: {data: hi}}]
          plugin:
            wasm:
              module: {file: argosay/argosay.wasm}
              args: [cat, /work/artifacts-in/art]
        """),
            Runs.EXAMPLES);

    assertThat(w.warnings())
        .singleElement()
        .asString()
        .contains(
            "is directly under /: a plain-WASI module finds this input at /work/artifacts-in/art");
    assertThat(Runs.RUNNER.run(w, java.util.Map.of()).root().outputs().result()).contains("hi");
  }
}
