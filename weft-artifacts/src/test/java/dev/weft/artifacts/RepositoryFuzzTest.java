package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A repository block as a namespace's admin could write it (in a pool, whoever edits a namespace's
 * {@code artifact-repositories} ConfigMap): Argo's field names with values of any JSON type.
 * Parsing gives a repository or an IllegalArgumentException naming the field; opening a parsed one
 * gives a store or an IOException; never another exception. Nothing here connects anywhere.
 */
class RepositoryFuzzTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> FIELDS =
      List.of(
          "endpoint",
          "bucket",
          "region",
          "insecure",
          "addressingStyle",
          "pathStyleEndpoint",
          "accessKeySecret",
          "secretKeySecret",
          "sessionTokenSecret",
          "caSecret",
          "useSDKCreds",
          "keyFormat",
          "roleARN",
          "x");

  /** A well-formed value for each field, so that most blocks get past the first check. */
  private static JsonNode good(String field) {
    return switch (field) {
      case "endpoint" -> F.textNode("127.0.0.1:9000");
      case "bucket" -> F.textNode("my-bucket");
      case "region" -> F.textNode("eu-west-1");
      case "insecure", "pathStyleEndpoint" -> F.booleanNode(true);
      case "useSDKCreds" -> F.booleanNode(false);
      case "addressingStyle" -> F.textNode("path");
      case "keyFormat" -> F.textNode("{{workflow.name}}/{{pod.name}}");
      case "accessKeySecret", "secretKeySecret", "sessionTokenSecret", "caSecret" ->
          F.objectNode().put("name", "cred").put("key", field);
      default -> F.textNode("v");
    };
  }

  @Provide
  Arbitrary<JsonNode> repositories() {
    Arbitrary<JsonNode> hostile =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(70).map(F::textNode),
            Arbitraries.of("http://h:1", "a b", "::", "[::1]:9", "ab", "", "virtual-hosted")
                .map(F::textNode),
            Arbitraries.integers().map(F::numberNode),
            Arbitraries.of(true, false).map(F::booleanNode),
            Arbitraries.just(F.nullNode()),
            Arbitraries.of("cred", "", "../x")
                .map(n -> (JsonNode) F.objectNode().put("name", n).put("key", "k")),
            Arbitraries.just(F.arrayNode().add("a")));
    Arbitrary<List<String>> fields =
        Arbitraries.subsetOf(FIELDS.subList(2, FIELDS.size()))
            .map(
                more -> {
                  List<String> all = new java.util.ArrayList<>(List.of("endpoint", "bucket"));
                  all.addAll(more);
                  return all;
                });
    return fields.flatMap(
        names ->
            Arbitraries.integers()
                .between(0, 3)
                .list()
                .ofSize(names.size())
                .flatMap(
                    dice ->
                        hostile
                            .list()
                            .ofSize(names.size())
                            .map(
                                values -> {
                                  ObjectNode s3 = F.objectNode();
                                  for (int i = 0; i < names.size(); i++) {
                                    // one field in four gets a hostile value
                                    s3.set(
                                        names.get(i),
                                        dice.get(i) == 0 ? values.get(i) : good(names.get(i)));
                                  }
                                  ObjectNode root = F.objectNode();
                                  root.set("s3", s3);
                                  return root;
                                })));
  }

  @Property(seed = "4211", tries = 250)
  void aRepositoryParsesAndOpensOrIsRefusedByName(@ForAll("repositories") JsonNode block) {
    ArtifactRepository repo;
    try {
      repo = ArtifactRepository.parse(block.toString(), Optional.empty());
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).as(block.toString()).isNotBlank();
      Statistics.collect("refused when parsed");
      return;
    }
    SecretSource secrets = ref -> "value-of-" + ref.key();
    try (S3Store store = RepositoryStores.open(repo, secrets, Optional.empty())) {
      assertThat(store.bucket()).isEqualTo(repo.bucket());
      Statistics.collect("opened");
    } catch (IOException e) {
      assertThat(e.getMessage()).as(block.toString()).isNotBlank().doesNotContain("value-of-");
      Statistics.collect("refused when opened");
    }
  }
}
