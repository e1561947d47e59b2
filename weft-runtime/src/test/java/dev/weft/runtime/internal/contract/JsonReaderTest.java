package dev.weft.runtime.internal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** weft's result.json reader gives what Jackson's streaming parser (which it replaced) gave. */
class JsonReaderTest {

  private static Object read(String json) throws JsonReader.SyntaxException {
    return JsonReader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryKindOfValue() throws Exception {
    Object v =
        read(
            " {\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"i\": -12, \"l\": 12345678901,"
                + " \"big\": 123456789012345678901234567890, \"d\": 1.5e3, \"t\": true, \"f\": false,"
                + " \"n\": null, \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}}\n");
    assertThat(v).isInstanceOf(LinkedHashMap.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("s")).isEqualTo("a\"b\\c/d\b\f\n\r\té\uD83D\uDE00");
    assertThat(m.get("i")).isEqualTo(-12);
    assertThat(m.get("l")).isEqualTo(12345678901L);
    assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(m.get("d")).isEqualTo(1500.0);
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.get("f")).isEqualTo(false);
    assertThat(m.containsKey("n")).isTrue();
    assertThat(m.get("n")).isNull();
    assertThat(m.get("a")).isEqualTo(List.of(1, List.of(), Map.of()));
    assertThat(m.get("o")).isEqualTo(Map.of("k", "v"));
    assertThat(new ArrayList<Object>(m.keySet()))
        .containsExactly("s", "i", "l", "big", "d", "t", "f", "n", "a", "o");
  }

  /** Documents both parsers must agree on: the same value, or both refuse it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"phase\":\"Succeeded\",\"outputs\":{\"parameters\":[{\"name\":\"x\",\"value\":\"1\"}]}}",
        "0",
        "-0",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "1.0",
        "-0.0",
        "1e2",
        "1E-2",
        "1e400",
        "0.1",
        "\"\"",
        "[]",
        "{}",
        "{\"a\":1,\"a\":2}",
        "[1,2,3]",
        "\"\\u0041\"",
        "\"é\"",
        "\uFEFF{}",
        " \t\r\n[ ] ",
        // refused
        "",
        " ",
        "01",
        "-",
        "+1",
        ".5",
        "1.",
        "1e",
        "1e+",
        "NaN",
        "Infinity",
        "[1,]",
        "{\"a\":1,}",
        "[1 2]",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "\"abc",
        "\"a\u0001b\"",
        "\"\\x\"",
        "\"\\u12\"",
        "tru",
        "nul",
        "[",
        "{",
        "{\"a\":",
        "1 2",
        "{} {}",
        "// c\n{}",
        "[1]x",
        "\"\\ud83d\"",
        "[-]",
        "[00]",
        "-01",
        "1.e1",
        "[\"a\"\"b\"]"
      })
  void agreesWithJacksonsStreamingParser(String doc) throws Exception {
    Optional<Object> jackson = JacksonReference.jackson(doc);
    Optional<Object> ours;
    try {
      ours = Optional.ofNullable(read(doc)).or(() -> Optional.of(JacksonReference.NULL));
    } catch (JsonReader.SyntaxException e) {
      ours = Optional.empty();
    }
    assertThat(ours).as(doc).isEqualTo(jackson);
  }

  @Test
  void refusesNestingDeeperThan200AsJacksonWasSetTo() throws Exception {
    String ok = "[".repeat(200) + "]".repeat(200);
    assertThat(read(ok)).isInstanceOf(List.class);
    assertThat(JacksonReference.jackson(ok)).isPresent();
    String deep = "[".repeat(201) + "]".repeat(201);
    assertThat(JacksonReference.jackson(deep)).isEmpty();
    assertThatThrownBy(() -> read(deep))
        .isInstanceOf(JsonReader.SyntaxException.class)
        .hasMessageContaining("nesting deeper than 200");
    // a deep document is refused before it can exhaust the stack
    String deeper = "[".repeat(100_000);
    assertThatThrownBy(() -> read(deeper)).isInstanceOf(JsonReader.SyntaxException.class);
  }

  @Test
  void refusesNumbersLongerThanJacksonsDefaultLimit() {
    String longNumber = "1".repeat(1001);
    assertThat(JacksonReference.jackson(longNumber)).isEmpty();
    assertThatThrownBy(() -> read(longNumber))
        .isInstanceOf(JsonReader.SyntaxException.class)
        .hasMessageContaining("longer than 1000");
  }

  @Test
  void namesTheLineAndColumnOfAnError() {
    assertThatThrownBy(() -> read("{\n  \"a\": 1,\n  \"b\" 2\n}"))
        .isInstanceOfSatisfying(
            JsonReader.SyntaxException.class,
            e -> {
              assertThat(e.line).isEqualTo(3);
              assertThat(e.column).isEqualTo(7);
            })
        .hasMessage("at line 3, column 7: expected ':' after a field name (found '2')");
    assertThatThrownBy(() -> read("{} x"))
        .hasMessage("at line 1, column 4: trailing content after the JSON value");
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    byte[] latin1 = "\"caf\u00e9\"".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(JacksonReference.jacksonBytes(latin1)).isEmpty();
    assertThatThrownBy(() -> JsonReader.read(latin1))
        .isInstanceOf(JsonReader.SyntaxException.class)
        .hasMessageContaining("not valid UTF-8");
  }
}
