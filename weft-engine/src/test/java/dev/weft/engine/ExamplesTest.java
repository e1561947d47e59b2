package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every workflow in examples/workflows runs through the engine with its documented outcome. */
class ExamplesTest {
  @Test
  void helloWorldGreetsTheArgument() {
    WorkflowStatus s = Runs.example("hello-world.yaml", Map.of("name", "Wasm"));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.name()).matches("hello-world-[b-z2-9]{5}");
    assertThat(s.root().outputs().parameters()).containsEntry("greeting", "Hello, Wasm!");
    assertThat(s.root().type()).isEqualTo(NodeType.Plugin);
    assertThat(s.root().id()).isEqualTo(s.name());
  }

  @Test
  void stepsRunInGroupsWithParallelSteps() {
    WorkflowStatus s = Runs.example("steps.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.nodes())
        .extracting(n -> n.displayName())
        .containsExactly(s.name(), "[0]", "hello1", "[1]", "hello2a", "hello2b");
    assertThat(s.node(s.name() + "[1].hello2b").orElseThrow().outputs().parameters())
        .containsEntry("greeting", "Hello, hello2b!");
    Node hello1 = Runs.node(s, "hello1");
    Node hello2a = Runs.node(s, "hello2a");
    assertThat(hello2a.startedAt().get()).isAfterOrEqualTo(hello1.finishedAt().get());
    assertThat(Runs.node(s, "[0]").type()).isEqualTo(NodeType.StepGroup);
    assertThat(hello1.id()).isEqualTo(Nodes.nodeId(s.name(), s.name() + "[0].hello1"));
  }

  @Test
  void dagDiamondRunsDInTheEnd() {
    WorkflowStatus s = Runs.example("dag-diamond.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.root().type()).isEqualTo(NodeType.DAG);
    for (String t : List.of("A", "B", "C", "D"))
      assertThat(Runs.phase(s, t)).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "D").outputs().result()).contains("D");
    assertThat(Runs.node(s, "D").startedAt().get())
        .isAfterOrEqualTo(Runs.node(s, "C").finishedAt().get());
    assertThat(Runs.node(s, "A").children())
        .containsExactlyInAnyOrder(Runs.node(s, "B").id(), Runs.node(s, "C").id());
  }

  @Test
  void loopsRunOneStepPerItem() {
    WorkflowStatus s = Runs.example("loops.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "print-message(0:hello world)").outputs().parameters())
        .containsEntry("greeting", "Hello, hello world!");
    assertThat(Runs.phase(s, "print-message(1:goodbye world)")).isEqualTo(NodePhase.Succeeded);
  }

  @Test
  void withParamLoopsOverAPreviousResult() {
    WorkflowStatus s = Runs.example("loops-param.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.nodes())
        .extracting(n -> n.displayName())
        .contains("sleep(0:3)", "sleep(1:1)", "sleep(2:2)");
  }

  @Test
  void parameterAggregationMakesJsonLists() {
    WorkflowStatus s = Runs.example("parameter-aggregation.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.node(s, "parity(1:n:2)").outputs().result()).contains("even");
    assertThat(Runs.node(s, "summary").outputs().result())
        .contains("parities [\"odd\",\"even\",\"odd\",\"even\"]");
    assertThat(s.root().outputs().parameters())
        .containsEntry("parities", "[\"odd\",\"even\",\"odd\",\"even\"]");
  }

  @Test
  void coinflipRunsOneBranchAndSkipsTheOther() {
    WorkflowStatus s = Runs.example("coinflip.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    String side = Runs.node(s, "flip-coin").outputs().result().orElseThrow();
    assertThat(side).isIn("heads", "tails");
    String other = side.equals("heads") ? "tails" : "heads";
    assertThat(Runs.phase(s, side)).isEqualTo(NodePhase.Succeeded);
    Node skipped = Runs.node(s, other);
    assertThat(skipped.phase()).isEqualTo(NodePhase.Skipped);
    assertThat(skipped.type()).isEqualTo(NodeType.Skipped);
    assertThat(skipped.message()).isEqualTo("when '" + side + " == " + other + "' evaluated false");
  }

  @Test
  void artifactPassesThroughTheStore() {
    WorkflowStatus s = Runs.example("artifact-passing.yaml", Map.of());

    assertThat(s.phase()).as(s.root().message()).isEqualTo(NodePhase.Succeeded);
    Node gen = Runs.node(s, "generate-artifact");
    ArtifactRef art = gen.outputs().artifacts().get(0);
    assertThat(art.key()).contains(s.name() + "/" + gen.id() + "/hello-art.tgz");
    assertThat(Runs.STORE.resolve(art.key().get())).exists();
    assertThat(Runs.node(s, "consume-artifact").outputs().result()).contains("1 2 12");
  }

  @Test
  void retriesUntilTheStepSucceeds() {
    WorkflowStatus s = Runs.example("retries.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    assertThat(s.root().type()).isEqualTo(NodeType.Retry);
    assertThat(s.nodes())
        .extracting(n -> n.displayName() + ":" + n.phase())
        .containsExactly(
            s.name() + ":Succeeded",
            s.name() + "(0):Failed",
            s.name() + "(1):Failed",
            s.name() + "(2):Succeeded");
    assertThat(s.root().outputs().result()).contains("succeeded on attempt 2");
  }

  @Test
  void exitHandlerRunsAfterAFailure() {
    WorkflowStatus s = Runs.example("exit-handler.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Failed);
    assertThat(s.message()).isEqualTo("child '" + Runs.node(s, "fail").id() + "' failed");
    assertThat(Runs.node(s, "fail").message()).isEqualTo("Error (exit code 1)");
    assertThat(Runs.phase(s, "cry")).isEqualTo(NodePhase.Succeeded);
    assertThat(Runs.phase(s, "celebrate")).isEqualTo(NodePhase.Skipped);
    assertThat(Runs.node(s, "notify").outputs().result())
        .contains("workflow " + s.name() + " ended Failed");
    assertThat(Runs.node(s, "greet.onExit").outputs().result()).contains("greet ended Succeeded");
    assertThat(Runs.node(s, s.name() + ".onExit").type()).isEqualTo(NodeType.Steps);
  }

  @Test
  void conditionalsSkipAllThreeStepsByDefault() {
    WorkflowStatus s = Runs.example("conditionals.yaml", Map.of());

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    for (String step :
        List.of("print-hello-govaluate", "print-hello-expr", "print-hello-expr-json"))
      assertThat(Runs.phase(s, step)).isEqualTo(NodePhase.Skipped);
    assertThat(Runs.node(s, "print-hello-govaluate").message())
        .isEqualTo("when 'false == true' evaluated false");
    assertThat(Runs.node(s, "print-hello-expr").message())
        .isEqualTo("when 'false' evaluated false");
  }

  @Test
  void conditionalsRunAllThreeStepsWhenAsked() {
    WorkflowStatus s = Runs.example("conditionals.yaml", Map.of("should-print", "true"));

    assertThat(s.phase()).isEqualTo(NodePhase.Succeeded);
    for (String step :
        List.of("print-hello-govaluate", "print-hello-expr", "print-hello-expr-json")) {
      assertThat(Runs.node(s, step).outputs().result()).contains("hello");
    }
  }

  @Test
  void aDagListsItsRootTasksAsChildrenAndItsLastTasksAsOutboundNodesAsArgoDoes() {
    WorkflowStatus s = Runs.example("dag-diamond.yaml", Map.of());
    com.fasterxml.jackson.databind.JsonNode root =
        StatusJson.of(s).path("status").path("nodes").path(s.name());

    assertThat(root.path("children"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactly(Runs.node(s, "A").id());
    assertThat(root.path("outboundNodes"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactly(Runs.node(s, "D").id());
    assertThat(Runs.node(s, "B").children()).containsExactly(Runs.node(s, "D").id());
  }
}
