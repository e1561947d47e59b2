package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Argo's own examples and end-to-end tests, ported to argosay wasm steps: each file under {@code
 * argo-corpus/} holds the expected outcome (from Argo's assertions or code, citing the source) as
 * its first YAML document and the workflow as its second.
 *
 * <p>Expectation keys: {@code source} (required), {@code params}, {@code phase}, {@code message},
 * {@code progress}, {@code outputs} (global output parameters), {@code absent} (display names that
 * must have no node), {@code invalid} (the run is refused; the text its message contains) and
 * {@code nodes}: display name → {@code phase}, {@code type}, {@code message}, {@code
 * messageContains}, {@code result}, {@code count}, {@code inputs}, {@code outputs}, {@code
 * children} (how many).
 */
class ArgoCorpusTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path CORPUS = Path.of("src/test/resources/argo-corpus");

  @TestFactory
  Stream<DynamicTest> everyPortedCaseEndsAsInArgo() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).as("ported Argo cases").hasSizeGreaterThanOrEqualTo(60);
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  static void check(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int split = text.indexOf("\n---\n");
    if (split < 0)
      throw new AssertionError(
          file + ": needs an expectation document, then ---, then the workflow");
    JsonNode expect = YAML.readTree(text.substring(0, split));
    String workflow = text.substring(split + 5);
    assertThat(expect.path("source").asText())
        .as(file + ": source")
        .contains("argoproj/argo-workflows");
    if (expect.has("invalid")) {
      assertThatThrownBy(
              () -> Runs.RUNNER.run(WorkflowParser.parse(workflow, Runs.EXAMPLES), Map.of()))
          .as(file.toString())
          .isInstanceOf(InvalidWorkflowException.class)
          .hasMessageContaining(expect.get("invalid").asText());
      return;
    }
    Map<String, String> params = new HashMap<>();
    expect
        .path("params")
        .fields()
        .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    WorkflowStatus s = Runs.RUNNER.run(WorkflowParser.parse(workflow, Runs.EXAMPLES), params);
    String tree = file.getFileName() + ": " + describe(s);
    SoftAssertions soft = new SoftAssertions();
    if (expect.has("phase"))
      soft.assertThat(s.phase().name())
          .as("workflow phase\n" + tree)
          .isEqualTo(expect.get("phase").asText());
    if (expect.has("message"))
      soft.assertThat(s.message())
          .as("workflow message\n" + tree)
          .isEqualTo(expect.get("message").asText());
    if (expect.has("progress")) {
      soft.assertThat(StatusJson.of(s).path("status").path("progress").asText())
          .as("progress\n" + tree)
          .isEqualTo(expect.get("progress").asText());
    }
    expect
        .path("outputs")
        .fields()
        .forEachRemaining(
            e ->
                soft.assertThat(s.outputParameters())
                    .as("global outputs")
                    .containsEntry(e.getKey(), e.getValue().asText()));
    for (JsonNode a : expect.path("absent")) {
      soft.assertThat(s.nodes().stream().filter(n -> n.displayName().equals(a.asText())))
          .as("node '" + a.asText() + "' must not exist\n" + tree)
          .isEmpty();
    }
    expect
        .path("nodes")
        .fields()
        .forEachRemaining(
            e -> {
              List<Node> ns =
                  s.nodes().stream().filter(n -> n.displayName().equals(e.getKey())).toList();
              JsonNode want = e.getValue();
              if (want.has("count"))
                soft.assertThat(ns)
                    .as("nodes named '" + e.getKey() + "'\n" + tree)
                    .hasSize(want.get("count").asInt());
              else soft.assertThat(ns).as("node '" + e.getKey() + "'\n" + tree).isNotEmpty();
              for (Node n : ns) {
                String at = "node '" + e.getKey() + "' ";
                if (want.has("phase"))
                  soft.assertThat(n.phase().name())
                      .as(at + "phase\n" + tree)
                      .isEqualTo(want.get("phase").asText());
                if (want.has("type"))
                  soft.assertThat(n.type().name())
                      .as(at + "type")
                      .isEqualTo(want.get("type").asText());
                if (want.has("message"))
                  soft.assertThat(n.message())
                      .as(at + "message")
                      .isEqualTo(want.get("message").asText());
                if (want.has("messageContains"))
                  soft.assertThat(n.message())
                      .as(at + "message")
                      .contains(want.get("messageContains").asText());
                if (want.has("result"))
                  soft.assertThat(n.outputs().result())
                      .as(at + "result")
                      .contains(want.get("result").asText());
                if (want.has("children"))
                  soft.assertThat(n.children())
                      .as(at + "children")
                      .hasSize(want.get("children").asInt());
                want.path("inputs")
                    .fields()
                    .forEachRemaining(
                        p ->
                            soft.assertThat(n.inputParameters())
                                .as(at + "inputs")
                                .containsEntry(p.getKey(), p.getValue().asText()));
                want.path("outputs")
                    .fields()
                    .forEachRemaining(
                        p ->
                            soft.assertThat(n.outputs().parameters())
                                .as(at + "outputs")
                                .containsEntry(p.getKey(), p.getValue().asText()));
              }
            });
    soft.assertAll();
  }

  /** The run as a tree of lines, for failure messages. */
  static String describe(WorkflowStatus s) {
    StringBuilder b = new StringBuilder(s.phase() + " '" + s.message() + "'\n");
    for (Node n : s.nodes()) {
      b.append("  ").append(n.name()).append(" ").append(n.type()).append(" ").append(n.phase());
      if (!n.message().isEmpty()) b.append(" '").append(n.message()).append("'");
      n.outputs().result().ifPresent(r -> b.append(" result=").append(r));
      b.append('\n');
    }
    return b.toString();
  }
}
