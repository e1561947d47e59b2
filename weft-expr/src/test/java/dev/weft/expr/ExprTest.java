package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExprTest {

  private static final String ITEMS_JSON =
      "{\"items\":[{\"name\":\"a\",\"n\":1},{\"name\":\"b\",\"n\":2.5}],"
          + "\"meta\":{\"the key\":\"v\",\"ok\":true}}";

  private static Map<String, Object> env() {
    Map<String, Object> env =
        new HashMap<>(
            Expr.nest(
                Map.of(
                    "inputs.parameters.x", "7",
                    "inputs.parameters.name", "World",
                    "inputs.parameters.json", ITEMS_JSON,
                    "steps.flip-coin.outputs.result", "heads",
                    "workflow.name", "wf-1")));
    env.put("n", 3);
    env.put("f", 1.5f);
    env.put("list", List.of(1, 2, 3));
    env.put("strs", List.of("a", "b"));
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("k", "v");
    obj.put("nested", Map.of("deep", 42L));
    obj.put("none", null);
    env.put("obj", obj);
    env.put("nothing", null);
    return env;
  }

  private static Object eval(String expression) {
    return Expr.evaluate(expression, env());
  }

  static Stream<Arguments> results() {
    return Stream.of(
        // literals
        Arguments.of("42", 42L),
        Arguments.of("1_000", 1000L),
        Arguments.of("0x1F", 31L),
        Arguments.of("2.5", 2.5),
        Arguments.of("1e3", 1000.0),
        Arguments.of(".5", 0.5),
        Arguments.of("'single'", "single"),
        Arguments.of("\"double\\n\\t\\\"q\\\"\"", "double\n\t\"q\""),
        Arguments.of("`raw\\n`", "raw\\n"),
        Arguments.of("\"\\u00e9\"", "é"),
        Arguments.of("true", true),
        Arguments.of("false", false),
        Arguments.of("nil", null),
        Arguments.of("[1, 'a', true]", List.of(1L, "a", true)),
        Arguments.of("[]", List.of()),
        Arguments.of("{a: 1, 'b c': 2}", Map.of("a", 1L, "b c", 2L)),
        // member access
        Arguments.of("inputs.parameters.x", "7"),
        Arguments.of("inputs.parameters['x']", "7"),
        Arguments.of("inputs['parameters'].name", "World"),
        Arguments.of("steps['flip-coin'].outputs.result", "heads"),
        Arguments.of("obj.nested.deep", 42L),
        Arguments.of("obj.missing", null),
        Arguments.of("list[0]", 1L),
        Arguments.of("list[-1]", 3L),
        Arguments.of("list[1:]", List.of(2L, 3L)),
        Arguments.of("list[:2]", List.of(1L, 2L)),
        Arguments.of("'hello'[1:3]", "el"),
        Arguments.of("nothing?.a.b", null),
        Arguments.of("obj?.k", "v"),
        Arguments.of("obj.none?.x", null),
        Arguments.of("nothing?.[0]", null),
        // unary
        Arguments.of("!true", false),
        Arguments.of("not false", true),
        Arguments.of("-n", -3L),
        Arguments.of("-f", -1.5),
        Arguments.of("+n", 3L),
        Arguments.of("not 1 == 2", "ERR"),
        // arithmetic
        Arguments.of("1 + 2", 3L),
        Arguments.of("1 + 2.5", 3.5),
        Arguments.of("'a' + 'b'", "ab"),
        Arguments.of("[1] + [2]", List.of(1L, 2L)),
        Arguments.of("10 - 4", 6L),
        Arguments.of("3 * 4", 12L),
        Arguments.of("7 / 2", 3.5),
        Arguments.of("6 / 3", 2.0),
        Arguments.of("7 % 3", 1L),
        Arguments.of("2 ** 10", 1024.0),
        Arguments.of("2 ^ 3", 8.0),
        Arguments.of("1..3", List.of(1L, 2L, 3L)),
        // precedence
        Arguments.of("1 + 2 * 3", 7L),
        Arguments.of("(1 + 2) * 3", 9L),
        Arguments.of("10 - 2 - 3", 5L),
        Arguments.of("2 ** 3 ** 2", 512.0),
        Arguments.of("-2 ** 2", -4.0),
        Arguments.of("1 + 2 == 3 && 2 > 1", true),
        Arguments.of("true || false && false", true),
        Arguments.of("(true || false) && false", false),
        Arguments.of("false or true and false", false),
        Arguments.of("1 < 2 ? 'yes' : 'no'", "yes"),
        Arguments.of("1 > 2 ? 'yes' : 2 > 1 ? 'second' : 'no'", "second"),
        Arguments.of("obj.missing ?? 'dflt'", "dflt"),
        Arguments.of("obj.k ?? 'dflt'", "v"),
        Arguments.of("nothing?.a ?? 'chained'", "chained"),
        Arguments.of("(obj.missing ?? 1) + 1", 2L),
        // comparison
        Arguments.of("1 == 1.0", true),
        Arguments.of("n == 3", true),
        Arguments.of("'a' == 'a'", true),
        Arguments.of("1 == '1'", false),
        Arguments.of("nil == nothing", true),
        Arguments.of("[1, 2] == [1, 2.0]", true),
        Arguments.of("{a: 1} == {a: 1}", true),
        Arguments.of("1 != 2", true),
        Arguments.of("2 < 10", true),
        Arguments.of("'2' < '10'", false),
        Arguments.of("3 <= 3", true),
        Arguments.of("f > 1", true),
        Arguments.of("2 >= 2.5", false),
        Arguments.of("1 < 2 < 3", true),
        Arguments.of("1 < 3 < 2", false),
        Arguments.of("1 < 2 <= 2 < 4", true),
        Arguments.of("3 > 2 > 2", false),
        // word operators
        Arguments.of("2 in list", true),
        Arguments.of("5 in list", false),
        Arguments.of("5 not in list", true),
        Arguments.of("'k' in obj", true),
        Arguments.of("'zz' in obj", false),
        Arguments.of("'build-12' matches '^build-[0-9]+$'", true),
        Arguments.of("'build-x' not matches '[0-9]'", true),
        Arguments.of("'hello' contains 'ell'", true),
        Arguments.of("'hello' startsWith 'he'", true),
        Arguments.of("'hello' endsWith 'lo'", true),
        Arguments.of("'hello' not endsWith 'lo'", false),
        // functions
        Arguments.of("asInt(inputs.parameters.x)", 7L),
        Arguments.of("asInt(inputs.parameters.x) > 5", true),
        Arguments.of("asInt(2.9)", 2L),
        Arguments.of("asFloat('2.5')", 2.5),
        Arguments.of("asFloat(2)", 2.0),
        Arguments.of("int('42')", 42L),
        Arguments.of("float('1e2')", 100.0),
        Arguments.of("string(12)", "12"),
        Arguments.of("string(2.0)", "2"),
        Arguments.of("string(true)", "true"),
        Arguments.of("toJson({b: [1, 2.5], a: 'x'})", "{\"a\":\"x\",\"b\":[1,2.5]}"),
        Arguments.of("toJson('q\"')", "\"q\\\"\""),
        Arguments.of("jsonpath(inputs.parameters.json, '$.items[0].name')", "a"),
        Arguments.of("jsonpath(inputs.parameters.json, '$.items[1].n')", 2.5),
        Arguments.of("jsonpath(inputs.parameters.json, '$.items[-1].name')", "b"),
        Arguments.of("jsonpath(inputs.parameters.json, '$.items[*].name')", List.of("a", "b")),
        Arguments.of("jsonpath(inputs.parameters.json, \"$['meta']['the key']\")", "v"),
        Arguments.of("jsonpath(inputs.parameters.json, '$.meta.ok')", true),
        Arguments.of("jsonpath(inputs.parameters.json, '$.meta.*')", List.of(true, "v")),
        Arguments.of("len(jsonpath(inputs.parameters.json, '$.items'))", 2L),
        Arguments.of("jsonpath('[1,2,3]', '$')", List.of(1L, 2L, 3L)),
        Arguments.of("len('héllo')", 5L),
        Arguments.of("len(list)", 3L),
        Arguments.of("len(obj)", 3L),
        Arguments.of("upper('abc')", "ABC"),
        Arguments.of("lower('ABC')", "abc"),
        Arguments.of("trim('  x  ')", "x"),
        Arguments.of("trim('__x__', '_')", "x"),
        Arguments.of("split('a,b,,c', ',')", List.of("a", "b", "", "c")),
        Arguments.of("join(strs, '-')", "a-b"),
        Arguments.of("join(split('a b', ' '))", "ab"),
        Arguments.of("replace('a-b-c', '-', '+')", "a+b+c"),
        Arguments.of("abs(-3)", 3L),
        Arguments.of("abs(-3.5)", 3.5),
        Arguments.of("max(1, 5.5, 3)", 5.5),
        Arguments.of("min(4, 2, 8)", 2L),
        Arguments.of("max(list)", 3L),
        // predicates over #
        Arguments.of("map(list, # * 2)", List.of(2L, 4L, 6L)),
        Arguments.of("filter(list, {# > 1})", List.of(2L, 3L)),
        Arguments.of("all(list, # > 0)", true),
        Arguments.of("all([], false)", true),
        Arguments.of("any(list, # == 2)", true),
        Arguments.of("none(list, # > 5)", true),
        Arguments.of("one(list, # > 2)", true),
        Arguments.of("count(list, # >= 2)", 2L),
        Arguments.of("find(list, # > 1)", 2L),
        Arguments.of("findIndex(list, # > 1)", 1L),
        Arguments.of("findIndex(list, # > 9)", -1L),
        Arguments.of("map(jsonpath(inputs.parameters.json, '$.items'), .name)", List.of("a", "b")),
        Arguments.of(
            "map(filter(jsonpath(inputs.parameters.json, '$.items'), #.n > 1), #.name)",
            List.of("b")),
        Arguments.of(
            "map([[1, 2], [3]], map(#, # * 10))", List.of(List.of(10L, 20L), List.of(30L))),
        // sprig
        Arguments.of("sprig.trim('  hi ')", "hi"),
        Arguments.of("sprig.upper(inputs.parameters.name)", "WORLD"),
        Arguments.of("sprig.lower('HeLLo')", "hello"),
        Arguments.of("sprig.replace('-', '_', 'a-b')", "a_b"),
        Arguments.of("sprig.add(1, 2, '3')", 6L),
        Arguments.of("sprig.int('12')", 12L),
        Arguments.of("sprig.int('nope')", 0L),
        Arguments.of("sprig.toString(5)", "5"),
        Arguments.of("sprig.contains('ell', 'hello')", true),
        Arguments.of("sprig.default('d', '')", "d"),
        Arguments.of("sprig.default('d', 'given')", "given"),
        Arguments.of("sprig.default('d', nothing)", "d"),
        Arguments.of("sprig.empty('')", true),
        Arguments.of("sprig.empty([1])", false),
        Arguments.of("sprig.empty(0)", true),
        Arguments.of("sprig.list(1, 'a')", List.of(1L, "a")),
        Arguments.of("sprig.trimPrefix('v', 'v1.2')", "1.2"),
        Arguments.of("sprig.trimSuffix('.txt', 'a.txt')", "a"),
        Arguments.of("sprig.hasPrefix('ab', 'abc')", true),
        Arguments.of("sprig.hasSuffix('bc', 'abc')", true),
        Arguments.of("sprig.splitList(',', 'a,b')", List.of("a", "b")),
        Arguments.of("sprig.join('+', [1, 'b'])", "1+b"),
        Arguments.of("sprig.quote('a\"b')", "\"a\\\"b\""),
        Arguments.of("sprig.atoi('12')", 12L),
        Arguments.of("sprig.float64('1.5')", 1.5),
        Arguments.of("sprig.b64enc('hi')", "aGk="),
        Arguments.of("sprig.b64dec('aGk=')", "hi"),
        Arguments.of("sprig.regexMatch('^a+$', 'aaa')", true),
        Arguments.of("sprig.sub(5, '2')", 3L),
        Arguments.of("sprig.mul(2, 3, 4)", 24L),
        // more expr builtins
        Arguments.of("keys({a: 1})", List.of("a")),
        Arguments.of("values({a: 1})", List.of(1L)),
        Arguments.of("first(list)", 1L),
        Arguments.of("last(list)", 3L),
        Arguments.of("first([])", null),
        Arguments.of("reverse(list)", List.of(3L, 2L, 1L)),
        Arguments.of("sum(list)", 6L),
        Arguments.of("sum([1, 0.5])", 1.5),
        Arguments.of("hasPrefix('abc', 'ab')", true),
        Arguments.of("hasSuffix('abc', 'bc')", true),
        Arguments.of("trimPrefix('v1.2', 'v')", "1.2"),
        Arguments.of("trimSuffix('a.txt', '.txt')", "a"),
        Arguments.of("indexOf('hello', 'l')", 2L),
        Arguments.of("floor(1.7)", 1.0),
        Arguments.of("ceil(1.2)", 2.0),
        Arguments.of("round(2.5)", 3.0),
        Arguments.of("toBase64('hi')", "aGk="),
        Arguments.of("fromBase64('aGk=')", "hi"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource
  void results(String expression, Object expected) {
    if ("ERR".equals(expected)) {
      // `not` binds tighter than `==` in expr: (not 1) == 2 is a type error
      assertThatThrownBy(() -> eval(expression))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining("not int");
      return;
    }
    assertThat(eval(expression)).isEqualTo(expected);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("nope + 1", "unknown name nope at position 1 in 'nope + 1'"),
        Arguments.of("frobnicate(1)", "unknown function frobnicate at position 1"),
        Arguments.of("sprig.frob(1)", "unknown function sprig.frob (supported sprig functions:"),
        Arguments.of("len", "function len must be called with parentheses"),
        Arguments.of("1 +", "unexpected end of expression at position 4 in '1 +'"),
        Arguments.of("(1 + 2", "expected ')' but found end of expression at position 7"),
        Arguments.of("1 + 2)", "unexpected token ')' at position 6 in '1 + 2)'"),
        Arguments.of("1 @ 2", "unexpected character '@' at position 3 in '1 @ 2'"),
        Arguments.of("'abc", "unterminated string starting at position 1 in ''abc'"),
        Arguments.of("12abc", "invalid number '12a' at position 1"),
        Arguments.of("", "empty expression ''"),
        Arguments.of("a ?? b || c", "operator '||' and coalesce expressions (??) cannot be mixed"),
        Arguments.of(
            "obj.k ?? 'x' + 'y'", "operator '+' and coalesce expressions (??) cannot be mixed"),
        Arguments.of("1 + 'a'", "invalid operation: int + string (mismatched types) at position 3"),
        Arguments.of("'a' - 'b'", "invalid operation: string - string (mismatched types)"),
        Arguments.of("1 < 'a'", "invalid operation: int < string (mismatched types)"),
        Arguments.of("(1 < 2) < 3", "invalid operation: bool < int (mismatched types)"),
        Arguments.of("5 % 0", "integer divide by zero"),
        Arguments.of("1.5 % 1", "invalid operation: float % int"),
        Arguments.of(
            "1 && true",
            "invalid operation: && (mismatched types int and bool)"), // expr's checker wording
        Arguments.of("!'x'", "invalid operation: not string (needs bool)"),
        Arguments.of("1 ? 2 : 3", "non-bool condition (int) in ternary in '1 ? 2 : 3'"),
        Arguments.of("nothing.a", "cannot fetch a from nil at position 9"),
        Arguments.of("list[5]", "index out of range: 5 (array length is 3)"),
        Arguments.of("list['a']", "array index must be an int, not string"),
        Arguments.of("'x' in 'xyz'", "invalid operation: string in string"),
        Arguments.of("'a' matches '['", "invalid regular expression '['"),
        Arguments.of(
            "asInt('5.5')", "asInt: cannot parse '5.5' as an int at position 1 in 'asInt('5.5')'"),
        Arguments.of("asFloat('x')", "asFloat: cannot parse 'x' as a float"),
        Arguments.of("len(1)", "invalid argument for len (type int)"),
        Arguments.of("upper(1)", "upper: argument 1 must be a string, got int (1)"),
        Arguments.of("len(1, 2)", "wrong number of arguments for len: got 2, want 1"),
        Arguments.of("jsonpath('{', '$.a')", "jsonpath: invalid JSON '{'"),
        Arguments.of("jsonpath('{\"a\":1}', '$.b')", "jsonpath '$.b': unknown key b"),
        Arguments.of(
            "jsonpath('[1]', '$[3]')", "jsonpath '$[3]': index 3 out of range (array length is 1)"),
        Arguments.of("jsonpath('{}', 'a')", "jsonpath 'a' must start with '$'"),
        Arguments.of("jsonpath('{}', '$..a')", "recursive descent '..' is not supported"),
        Arguments.of("jsonpath('[]', '$[?(@.a)]')", "unsupported selector [?(@.a)]"),
        Arguments.of("# > 1", "'#' may only be used inside a predicate"),
        Arguments.of("filter(list, # + 1)", "filter: predicate must return bool, got int"),
        Arguments.of("filter(obj, true)", "filter: argument 1 must be an array, got map"),
        Arguments.of("filter", "function filter must be called with parentheses"),
        Arguments.of("obj.k.upper()", "method calls like '.upper(...)' are not supported"),
        Arguments.of("1 not 2", "unexpected token 'not'"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void errors(String expression, String message) {
    assertThatThrownBy(() -> eval(expression))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining(message);
  }

  @Test
  void nestBuildsMapsFromDottedNamesAndKeepsTheFlatNames() {
    Map<String, Object> nested =
        Expr.nest(
            Map.of(
                "inputs.parameters.x", "1",
                "inputs.parameters.y", "2",
                "workflow.name", "w",
                "plain", "p"));
    assertThat(nested)
        .containsEntry("inputs", Map.of("parameters", Map.of("x", "1", "y", "2")))
        .containsEntry("workflow", Map.of("name", "w"))
        .containsEntry("plain", "p")
        .containsEntry("inputs.parameters.x", "1")
        .containsEntry("workflow.name", "w");
  }

  @Test
  void whereANameIsAlsoAPrefixTheNestedNamesWinAsInArgo() {
    // Argo sets inputs.parameters (a JSON summary) next to inputs.parameters.n
    Map<String, Object> env =
        Expr.nest(
            Map.of(
                "inputs.parameters", "[{\"name\":\"n\",\"value\":\"3\"}]",
                "inputs.parameters.n", "3"));
    assertThat(Expr.evaluate("inputs.parameters.n", env)).isEqualTo("3");
    assertThat(Expr.evaluate("asInt(inputs.parameters['n']) + 1", env)).isEqualTo(4L);
  }

  @Test
  void envNumbersOfAnyJavaTypeAreNormalised() {
    Map<String, Object> env = new HashMap<>();
    env.put("i", 2);
    env.put("l", 2L);
    env.put("d", 2.0);
    env.put("xs", Arrays.asList((short) 1, 2.5f));
    assertThat(Expr.evaluate("i + l", env)).isEqualTo(4L);
    assertThat(Expr.evaluate("i == d", env)).isEqualTo(true);
    assertThat(Expr.evaluate("xs[0] + xs[1]", env)).isEqualTo(3.5);
  }

  @Test
  void deepNestingIsReportedNotCrashed() {
    String deep = "(".repeat(20_000) + "1" + ")".repeat(20_000);
    assertThatThrownBy(() -> Expr.evaluate(deep, Map.of()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nested");
  }
}
