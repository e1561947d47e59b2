package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The test tables of the Go originals (govaluate for {@code when}, expr-lang for {@code {{= }}}),
 * ported as data under {@code tables/}; each file names the source it was taken from.
 */
class TablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TABLES = Path.of("src/test/resources/tables");

  /** The env of expr's builtin_test.go TestBuiltin, minus its Go-only values. */
  static final Map<String, Object> BUILTIN_ENV =
      Map.of(
          "ArrayOfString", List.of("foo", "bar", "baz"),
          "ArrayOfInt", List.of(1L, 2L, 3L),
          "ArrayOfFloat", List.of(1.5, 2.5, 3.5),
          "ArrayOfAny", List.of(1L, "2", true),
          "EmptyIntArray", List.of(),
          "EmptyFloatArray", List.of(),
          "NestedIntArrays", List.of(List.of(1L, 2L), List.of(3L, 4L)),
          "NestedAnyArrays", List.of(List.of(1L, 2L), List.of(3L, 4L)),
          "MixedNestedArray", List.of(1L, List.of(2L, 3L), List.of(4.0, 5.0)));

  @TestFactory
  Stream<DynamicTest> exprBuiltinTable() throws IOException {
    return rows("expr-builtin.tsv").stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r[0],
                    () -> {
                      Object want = value(JSON.readTree(r[1]));
                      assertThat(normalize(Expr.evaluate(r[0], BUILTIN_ENV)))
                          .as(r[0])
                          .isEqualTo(want);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> exprSyntaxTable() throws IOException {
    return rows("expr-syntax.tsv").stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r[0],
                    () ->
                        assertThat(normalize(Expr.evaluate(r[0], Map.of())))
                            .as(r[0])
                            .isEqualTo(value(JSON.readTree(r[1])))));
  }

  @TestFactory
  Stream<DynamicTest> sprigTable() throws IOException {
    return rows("sprig.tsv").stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r[2] + ": " + r[0],
                    () -> {
                      String want = JSON.readValue("\"" + r[1] + "\"", String.class);
                      assertThat(Values.display(Expr.evaluate(r[0], Map.of())))
                          .as(r[0])
                          .isEqualTo(want);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> exprTypeErrorsTable() throws IOException {
    return rows("expr-checker-errors.tsv").stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r[0],
                    () ->
                        assertThatThrownBy(() -> Expr.evaluate(r[0], Map.of()))
                            .as(r[0])
                            .isInstanceOf(ExpressionException.class)));
  }

  @TestFactory
  Stream<DynamicTest> govaluateEvaluationTable() throws IOException {
    return rows("govaluate-evaluation.tsv").stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r[3] + ": " + r[0],
                    () -> {
                      @SuppressWarnings("unchecked")
                      Map<String, Object> params = (Map<String, Object>) value(JSON.readTree(r[1]));
                      Object want = value(JSON.readTree(r[2]));
                      assertThat(normalize(Govaluate.evaluate(r[0], params)))
                          .as(r[3] + ": " + r[0])
                          .isEqualTo(want);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> govaluateParsingFailureTable() throws IOException {
    return rows("govaluate-parsing-failure.tsv").stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    r[1] + ": " + r[0],
                    () ->
                        assertThatThrownBy(() -> Govaluate.evaluate(r[0], Map.of()))
                            .as(r[1] + ": " + r[0])
                            .isInstanceOf(ExpressionException.class)));
  }

  private static List<String[]> rows(String file) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(TABLES.resolve(file), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) continue;
      out.add(line.split("\t", -1));
    }
    assertThat(out).as(file + " has cases").isNotEmpty();
    return out;
  }

  /** JSON as the interpreters' values: integers Long, other numbers Double. */
  private static Object value(JsonNode n) {
    if (n.isNull()) return null;
    if (n.isBoolean()) return n.booleanValue();
    if (n.isIntegralNumber()) return n.longValue();
    if (n.isNumber()) return n.doubleValue();
    if (n.isTextual()) return n.textValue();
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(value(x)));
      return l;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
    return m;
  }

  private static Object normalize(Object v) {
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Float f) return f.doubleValue();
    if (v instanceof List<?> l) return l.stream().map(TablesTest::normalize).toList();
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, normalize(x)));
      return out;
    }
    return v;
  }
}
