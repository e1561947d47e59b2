package dev.weft.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.OutputParameterSpec;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.internal.contract.ContractFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/schemas/*.schema.json and docs/module-contract.md agree with the code: what {@link
 * ContractFiles#writeInput} writes is valid input, and a result.json is schema-valid exactly when
 * {@link ContractFiles#readResult} accepts it.
 */
class ContractSchemaTest {
  /** The docs directory; overridable like weft.examples, resolved from the module directory. */
  private static final Path DOCS =
      Path.of(System.getProperty("weft.docs", "../docs")).toAbsolutePath().normalize();

  private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final JsonSchema INPUT = schema("input.schema.json");
  private static final JsonSchema RESULT = schema("result.schema.json");

  /** Far above anything in the corpus, so only the document's shape decides. */
  private static final long GENEROUS = 64L << 20;

  private static JsonNode schemaNode(String file) {
    try {
      return MAPPER.readTree(DOCS.resolve("schemas").resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + file + " under " + DOCS, e);
    }
  }

  private static JsonSchema schema(String file) {
    return FACTORY.getSchema(schemaNode(file));
  }

  private static Set<ValidationMessage> errors(JsonSchema schema, JsonNode doc) {
    return schema.validate(doc);
  }

  // ---- the schema files themselves ----

  @Test
  void bothSchemaFilesAreValidDraft202012Schemas() {
    JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(DRAFT_2020_12));
    for (String file : List.of("input.schema.json", "result.schema.json")) {
      JsonNode node = schemaNode(file);
      assertThat(node.path("$schema").asText()).as(file).isEqualTo(DRAFT_2020_12);
      assertThat(errors(meta, node)).as(file).isEmpty();
    }
  }

  // ---- input.json ----

  static Stream<Arguments> specs() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", Arrays.asList(1, "two", null, 3.5, List.of(Map.of("deep", true))));
    nested.put("nothing", null);
    nested.put("empty", Map.of());
    return Stream.of(
        Arguments.of(Named.of("an empty spec", TaskSpec.builder().build())),
        Arguments.of(
            Named.of(
                "string parameters",
                TaskSpec.builder()
                    .workflowName("wf-1")
                    .parameter("name", "World")
                    .parameter("tricky", "Wa\"sm \\ é ✓ \n\t\u0001")
                    .parameter("", "")
                    .build())),
        Arguments.of(
            Named.of(
                "number, boolean and null values",
                TaskSpec.builder()
                    .parameter("int", 42)
                    .parameter("long", 1L << 40)
                    .parameter("double", 1.5)
                    .parameter("big", new BigDecimal("12345678901234567890.000001"))
                    .parameter("bool", false)
                    .parameter("null", null)
                    .pluginOption("retries", 3)
                    .build())),
        Arguments.of(
            Named.of(
                "nested maps and lists",
                TaskSpec.builder()
                    .parameter("doc", nested)
                    .pluginOption("options", nested)
                    .pluginOption("list", List.of(List.of(), List.of(1)))
                    .build())),
        Arguments.of(
            Named.of(
                "input artifacts",
                TaskSpec.builder()
                    .inputArtifact("text", "/in/text.txt", Path.of("unused"))
                    .inputArtifact("dir", "data", Path.of("unused"))
                    .build())),
        Arguments.of(
            Named.of(
                "args", TaskSpec.builder().args(List.of("--verbose", "", "a b", "ü")).build())),
        Arguments.of(
            Named.of(
                "declared outputs",
                TaskSpec.builder()
                    .outputParameter(OutputParameterSpec.fromPath("words", "/tmp/words.txt"))
                    .outputParameter(
                        new OutputParameterSpec("greeting", Optional.empty(), Optional.of("hi")))
                    .outputArtifact("report", "/work/out/report.txt")
                    .build())),
        Arguments.of(Named.of("everything at once", docExampleSpec())));
  }

  private static JsonNode written(Path dir, TaskSpec spec) throws IOException {
    ContractFiles.writeInput(dir, spec);
    return MAPPER.readTree(dir.resolve(ContractFiles.INPUT_JSON).toFile());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void inputJsonWrittenForATaskValidatesAgainstTheInputSchema(TaskSpec spec, @TempDir Path dir)
      throws IOException {
    JsonNode doc = written(dir, spec);

    assertThat(errors(INPUT, doc)).as(doc.toString()).isEmpty();
    assertThat(doc.path("weft").path("contract").intValue())
        .isEqualTo(ContractFiles.CONTRACT_VERSION);
    assertThat(names(doc.path("parameters")))
        .containsExactlyElementsOf(spec.parameters().stream().map(p -> p.name()).toList());
    assertThat(names(doc.path("weft").path("outputs").path("parameters")))
        .containsExactlyElementsOf(
            spec.outputParameters().stream().map(OutputParameterSpec::name).toList());
    assertThat(
            MAPPER.convertValue(
                doc.path("weft").path("args"), new TypeReference<List<String>>() {}))
        .isEqualTo(spec.args());
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path("name").asText()));
    return out;
  }

  @Test
  void inputJsonCarriesParameterValuesAsTheJsonTheCallerGave(@TempDir Path dir) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("a", Arrays.asList(1, true, null, "x"));
    doc.put("b", Map.of("c", 2.5));
    JsonNode in =
        written(
            dir,
            TaskSpec.builder()
                .parameter("doc", doc)
                .parameter("none", null)
                .parameter("n", 7)
                .build());

    assertThat(in.path("parameters").get(0).path("value"))
        .isEqualTo(MAPPER.readTree("{\"a\":[1,true,null,\"x\"],\"b\":{\"c\":2.5}}"));
    assertThat(in.path("parameters").get(1).has("value"))
        .as("a null value is written, not left out")
        .isTrue();
    assertThat(in.path("parameters").get(1).path("value").isNull()).isTrue();
    assertThat(in.path("parameters").get(2).path("value").isIntegralNumber()).isTrue();
  }

  static Stream<Arguments> inputDrift() {
    return Stream.of(
        drift("without artifacts (the earlier plugin's schema)", o -> o.remove("artifacts")),
        drift("without the weft object", o -> o.remove("weft")),
        drift("with an unknown top-level key", o -> o.put("workflow_uid", "123")),
        drift("with an unknown key in weft", o -> ((ObjectNode) o.path("weft")).put("env", "x")),
        drift("with contract version 2", o -> ((ObjectNode) o.path("weft")).put("contract", 2)),
        drift(
            "with a parameter without value",
            o -> ((ObjectNode) o.path("parameters").get(0)).remove("value")),
        drift(
            "with an artifact without path",
            o -> ((ObjectNode) o.path("artifacts").get(0)).remove("path")),
        drift(
            "with an input artifact carrying s3",
            o -> ((ObjectNode) o.path("artifacts").get(0)).putObject("s3").put("key", "k")),
        drift("with a non-string arg", o -> ((ArrayNode) o.path("weft").path("args")).add(1)),
        drift(
            "with a declared output artifact without path",
            o ->
                ((ObjectNode) o.path("weft").path("outputs").path("artifacts").get(0))
                    .remove("path")));
  }

  private static Arguments drift(String name, Consumer<ObjectNode> change) {
    return Arguments.of(Named.of(name, change));
  }

  @ParameterizedTest(name = "input.json {0} is rejected")
  @MethodSource("inputDrift")
  void inputSchemaIsClosedSoDriftInWhatWeftWritesIsCaught(
      Consumer<ObjectNode> change, @TempDir Path dir) throws IOException {
    ObjectNode doc = (ObjectNode) written(dir, docExampleSpec());
    assertThat(errors(INPUT, doc)).as("the unchanged document").isEmpty();

    change.accept(doc);

    assertThat(errors(INPUT, doc)).as(doc.toString()).isNotEmpty();
  }

  // ---- result.json ----

  static Stream<Arguments> resultCorpus() throws IOException, URISyntaxException {
    Path dir = Path.of(ContractSchemaTest.class.getResource("/contract/results").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    return files.stream().map(p -> Arguments.of(Named.of(p.getFileName().toString(), p)));
  }

  @Test
  void resultCorpusHasAtLeastFifteenDocumentsOfBothVerdicts() throws Exception {
    List<String> names = resultCorpus().map(a -> ((Named<?>) a.get()[0]).getName()).toList();

    assertThat(names).hasSizeGreaterThanOrEqualTo(15);
    assertThat(names).allMatch(n -> n.startsWith("accept-") || n.startsWith("reject-"));
    assertThat(names).anyMatch(n -> n.startsWith("accept-")).anyMatch(n -> n.startsWith("reject-"));
  }

  /**
   * The document's schema errors, or a parse error as the only entry when it is not one JSON
   * document.
   */
  private static List<String> schemaVerdict(byte[] bytes) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      return List.of("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (doc == null || doc.isMissingNode()) return List.of("not JSON: empty document");
    return errors(RESULT, doc).stream().map(ValidationMessage::toString).sorted().toList();
  }

  /** readResult's rejection message, or empty when it accepts the document. */
  private static Optional<String> codeVerdict(Path dir, byte[] bytes) throws IOException {
    Files.write(dir.resolve(ContractFiles.RESULT_JSON), bytes);
    try {
      assertThat(ContractFiles.readResult(dir, GENEROUS, GENEROUS))
          .as("a written result.json is found")
          .isPresent();
      return Optional.empty();
    } catch (ContractFiles.ResultException e) {
      assertThat(e.tooLarge()).as("no corpus document is over the generous limits").isFalse();
      return Optional.of(e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resultCorpus")
  void resultSchemaAcceptsADocumentExactlyWhenWeftDoes(Path file, @TempDir Path dir)
      throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    boolean expected = file.getFileName().toString().startsWith("accept-");

    List<String> schemaErrors = schemaVerdict(bytes);
    Optional<String> codeError = codeVerdict(dir, bytes);

    String shown = file.getFileName() + ": " + new String(bytes, StandardCharsets.UTF_8).strip();
    assertThat(codeError.isEmpty())
        .as("readResult accepts %s (its error: %s)", shown, codeError.orElse("none"))
        .isEqualTo(expected);
    assertThat(schemaErrors.isEmpty())
        .as("the schema accepts %s (its errors: %s)", shown, schemaErrors)
        .isEqualTo(expected);
  }

  @Test
  void resultJsonValuesAreTakenAsStringsOrRenderedAsCompactJson(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve(ContractFiles.RESULT_JSON),
        """
        {"phase": "Succeeded", "message": null, "outputs": {"parameters": [
          {"name": "s", "value": "text\\n"}, {"name": "int", "value": 42}, {"name": "dec", "value": 1.50},
          {"name": "exp", "value": 1e2}, {"name": "bool", "value": false}, {"name": "null", "value": null},
          {"name": "missing"}, {"name": "obj", "value": {"a": [1, true, null], "b": "x"}}]}}
        """);

    ContractFiles.Result r = ContractFiles.readResult(dir, GENEROUS, GENEROUS).orElseThrow();

    assertThat(r.phase()).isEqualTo(Phase.Succeeded);
    assertThat(r.message()).isEmpty();
    assertThat(r.artifacts()).isEmpty();
    assertThat(r.parameters())
        .extracting(OutputParameter::name, OutputParameter::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s", "text\n"),
            org.assertj.core.groups.Tuple.tuple("int", "42"),
            org.assertj.core.groups.Tuple.tuple("dec", "1.5"),
            org.assertj.core.groups.Tuple.tuple("exp", "100.0"),
            org.assertj.core.groups.Tuple.tuple("bool", "false"),
            org.assertj.core.groups.Tuple.tuple("null", ""),
            org.assertj.core.groups.Tuple.tuple("missing", ""),
            org.assertj.core.groups.Tuple.tuple("obj", "{\"a\":[1,true,null],\"b\":\"x\"}"));
  }

  @Test
  void readResultEnforcesSizeLimitsTheSchemaCannotExpress(@TempDir Path dir) throws Exception {
    String doc =
        "{\"phase\":\"Succeeded\",\"outputs\":{\"parameters\":[{\"name\":\"big\",\"value\":\""
            + "x".repeat(2000)
            + "\"}]}}";
    Files.writeString(dir.resolve(ContractFiles.RESULT_JSON), doc);
    assertThat(schemaVerdict(doc.getBytes(StandardCharsets.UTF_8))).isEmpty();

    assertThatThrownBy(() -> ContractFiles.readResult(dir, 1000, GENEROUS))
        .isInstanceOfSatisfying(
            ContractFiles.ResultException.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessageContaining("over the limit of 1000B (limits.maxResultJson)");
    assertThatThrownBy(() -> ContractFiles.readResult(dir, GENEROUS, 1024))
        .isInstanceOfSatisfying(
            ContractFiles.ResultException.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessageContaining(
            "'big' is 2000 characters, over the output parameter limit of 1KiB (limits.maxOutputParameter)");
  }

  @Test
  void duplicateParameterNamesAreRejectedThoughTheSchemaCannotSayIt(@TempDir Path dir)
      throws Exception {
    Path doc =
        Path.of(
            ContractSchemaTest.class
                .getResource("/contract/duplicate-parameter-names.json")
                .toURI());
    Files.copy(doc, dir.resolve("result.json"));
    assertThatThrownBy(() -> ContractFiles.readResult(dir, GENEROUS, GENEROUS))
        .isInstanceOf(ContractFiles.ResultException.class)
        .hasMessageContaining("repeats output parameter name 'x'");
  }

  @Test
  void readResultRefusesNestingDeeperThan200EvenWhereTheSchemaAllowsIt(@TempDir Path dir)
      throws Exception {
    String deep = "[".repeat(200) + "]".repeat(200);
    String doc =
        "{\"phase\":\"Succeeded\",\"outputs\":{\"parameters\":[{\"name\":\"deep\",\"value\":"
            + deep
            + "}]}}";
    assertThat(schemaVerdict(doc.getBytes(StandardCharsets.UTF_8))).isEmpty();
    Files.writeString(dir.resolve(ContractFiles.RESULT_JSON), doc);

    assertThatThrownBy(() -> ContractFiles.readResult(dir, GENEROUS, GENEROUS))
        .isInstanceOfSatisfying(
            ContractFiles.ResultException.class, e -> assertThat(e.tooLarge()).isFalse())
        .hasMessageContaining("result.json is not valid JSON")
        .hasMessageContaining("200");
  }

  // ---- the examples in docs/module-contract.md ----

  private static final Pattern JSON_BLOCK =
      Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

  /** The spec whose input.json is the example in docs/module-contract.md. */
  private static TaskSpec docExampleSpec() {
    return TaskSpec.builder()
        .workflowName("hello-7x2k9")
        .pluginOption("style", Map.of("emoji", false))
        .parameter("name", "World")
        .inputArtifact("text", "/in/text.txt", Path.of("unused"))
        .args(List.of("--verbose"))
        .outputParameter(new OutputParameterSpec("greeting", Optional.empty(), Optional.empty()))
        .outputParameter(OutputParameterSpec.fromPath("words", "/tmp/words.txt"))
        .outputArtifact("report", "/work/out/report.txt")
        .build();
  }

  @Test
  void jsonExamplesInTheModuleContractDocMatchTheSchemasAndTheCode(@TempDir Path dir)
      throws IOException {
    String md = Files.readString(DOCS.resolve("module-contract.md"));
    List<JsonNode> blocks = new ArrayList<>();
    Matcher m = JSON_BLOCK.matcher(md);
    while (m.find()) blocks.add(MAPPER.readTree(m.group(1)));
    List<JsonNode> inputs = blocks.stream().filter(b -> b.has("workflow_name")).toList();
    List<JsonNode> results = blocks.stream().filter(b -> b.has("phase")).toList();
    assertThat(inputs).as("input.json examples in the doc").isNotEmpty();
    assertThat(results).as("result.json examples in the doc").isNotEmpty();

    for (JsonNode in : inputs) assertThat(errors(INPUT, in)).as(in.toString()).isEmpty();
    assertThat(inputs.get(0))
        .as("the first input.json example is what weft writes for docExampleSpec()")
        .isEqualTo(written(dir, docExampleSpec()));
    for (JsonNode r : results) {
      byte[] bytes = MAPPER.writeValueAsBytes(r);
      assertThat(schemaVerdict(bytes)).as(r.toString()).isEmpty();
      assertThat(codeVerdict(dir, bytes)).as(r.toString()).isEmpty();
    }
  }

  @Test
  void moduleContractDocLinksBothSchemaFiles() throws IOException {
    String md = Files.readString(DOCS.resolve("module-contract.md"));
    Set<String> linked =
        Pattern.compile("\\]\\((schemas/[^)]+)\\)")
            .matcher(md)
            .results()
            .map(r -> r.group(1))
            .collect(Collectors.toSet());

    assertThat(linked).contains("schemas/input.schema.json", "schemas/result.schema.json");
    for (String l : linked) assertThat(DOCS.resolve(l)).as(l).isRegularFile();
  }
}
