package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExprTest {
  private static final String JSON = "{\"a\": {\"b\": [1, 2.5, \"x\"]}, \"name\": \"w\", \"items\": [{\"id\": 1}, {\"id\": 2}]}";

  private static Map<String, Object> env() {
    Map<String, String> flat = new HashMap<>();
    flat.put("inputs.parameters.x", "7");
    flat.put("inputs.parameters.name", "World");
    flat.put("inputs.parameters.json", JSON);
    flat.put("inputs.parameters.list", "[\"a\",\"b\"]");
    flat.put("steps.flip-coin.outputs.result", "heads");
    flat.put("workflow.name", "hello-abc12");
    flat.put("workflow.parameters.blank", "");
    Map<String, Object> env = new HashMap<>(Expr.nest(flat));
    env.put("n", 3L);
    env.put("f", 2.5);
    env.put("i", 4);
    env.put("nums", List.of(3L, 1L, 2L));
    env.put("people", List.of(Map.of("name", "ann", "age", 30L), Map.of("name", "bob", "age", 17L)));
    env.put("m", Map.of("k", "v", "zero", 0L));
    env.put("none", null);
    env.put("yes", true);
    return env;
  }

  /** Evaluates and prints the result the way templates do, so one string column covers every type. */
  private static String eval(String expression) {
    Object v = Expr.evaluate(expression, env());
    return v == null ? "nil" : v.getClass().getSimpleName() + ":" + Templates.stringify(v);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          42                          => Long:42
          1_000                       => Long:1000
          0x1F                        => Long:31
          2.5                         => Double:2.5
          .5                          => Double:0.5
          1e3                         => Double:1000
          'single'                    => String:single
          "double \\"quoted\\""       => String:double "quoted"
          'tab\\tnew'                 => String:tab	new
          true                        => Boolean:true
          false                       => Boolean:false
          nil                         => nil
          [1, 'a', true]              => ArrayList:[1,"a",true]
          []                          => ArrayList:[]
          {a: 1, 'b c': [2]}          => LinkedHashMap:{"a":1,"b c":[2]}
          {}                          => LinkedHashMap:{}
          """)
  void literals(String expression, String expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          1 + 2                     => Long:3
          1 + 2.5                   => Double:3.5
          n + i                     => Long:7
          'a' + 'b'                 => String:ab
          [1] + [2]                 => ArrayList:[1,2]
          10 - 4 - 3                => Long:3
          2 * 3.5                   => Double:7
          7 / 2                     => Double:3.5
          6 / 3                     => Double:2
          7 % 3                     => Long:1
          2 ** 10                   => Double:1024
          2 ^ 3 ^ 2                 => Double:512
          -n                        => Long:-3
          -f                        => Double:-2.5
          +n                        => Long:3
          -2 ** 2                   => Double:-4
          1 + 2 * 3                 => Long:7
          (1 + 2) * 3               => Long:9
          1 == 1.0                  => Boolean:true
          1 != 2                    => Boolean:true
          '1' == 1                  => Boolean:false
          nil == none               => Boolean:true
          [1, 2] == [1, 2]          => Boolean:true
          2 < 3                     => Boolean:true
          2 <= 2.0                  => Boolean:true
          3 > 3                     => Boolean:false
          f >= 2.5                  => Boolean:true
          'abc' < 'abd'             => Boolean:true
          true && false             => Boolean:false
          true and true             => Boolean:true
          false || true             => Boolean:true
          false or false            => Boolean:false
          !true                     => Boolean:false
          not false                 => Boolean:true
          not yes == false          => Boolean:true
          true || false && false    => Boolean:true
          1 < 2 == true             => Boolean:true
          2 in [1, 2, 3]            => Boolean:true
          'k' in m                  => Boolean:true
          'q' in m                  => Boolean:false
          4 not in nums             => Boolean:true
          'hello' matches '^h.l+o$' => Boolean:true
          'hello' not matches '^x'  => Boolean:true
          'hello' contains 'ell'    => Boolean:true
          'hello' startsWith 'he'   => Boolean:true
          'hello' endsWith 'lo'     => Boolean:true
          'hello' not endsWith 'lo' => Boolean:false
          1..3                      => ArrayList:[1,2,3]
          len(1..n + 2)             => Long:5
          n > 2 ? 'big' : 'small'   => String:big
          n > 5 ? 'big' : n > 2 ? 'mid' : 'small' => String:mid
          none ?? 'dflt'            => String:dflt
          n ?? 0                    => Long:3
          none ?? nil ?? 'last'     => String:last
          1 + none ?? 2             => Long:3
          """)
  void operatorsAndPrecedence(String expression, String expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          inputs.parameters.x                        => String:7
          inputs.parameters['x']                     => String:7
          inputs['parameters'].name                  => String:World
          steps['flip-coin'].outputs.result          => String:heads
          steps['flip-coin'].outputs.result == 'heads' => Boolean:true
          workflow.name                              => String:hello-abc12
          m.k                                        => String:v
          m.missing                                  => nil
          m?.k                                       => String:v
          none?.a.b                                  => nil
          none?.[0]                                  => nil
          nums[0]                                    => Long:3
          nums[-1]                                   => Long:2
          nums[1:]                                   => ArrayList:[1,2]
          nums[:2]                                   => ArrayList:[3,1]
          'hello'[1:3]                               => String:el
          people[1].name                             => String:bob
          """)
  void memberAccess(String expression, String expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          asInt(inputs.parameters.x) > 5                  => Boolean:true
          asInt(inputs.parameters.x) + 1                  => Long:8
          asInt(2.9)                                      => Long:2
          asFloat('1.5') * 2                              => Double:3
          asFloat(n)                                      => Double:3
          string(n) + '!'                                 => String:3!
          string(1.5)                                     => String:1.5
          string(nums)                                    => String:[3 1 2]
          toJson(m)                                       => String:{"k":"v","zero":0}
          toJson('a')                                     => String:"a"
          toJson([1.0, 2.5])                              => String:[1,2.5]
          jsonpath(inputs.parameters.json, '$.name')      => String:w
          jsonpath(inputs.parameters.json, '$.a.b[1]')    => Double:2.5
          jsonpath(inputs.parameters.json, '$.a.b[0]')    => Double:1
          jsonpath(inputs.parameters.json, "$['a']['b'][-1]") => String:x
          jsonpath(inputs.parameters.json, '$.items[*].id') => ArrayList:[1,2]
          jsonpath(inputs.parameters.json, '$.a')         => LinkedHashMap:{"b":[1,2.5,"x"]}
          jsonpath(inputs.parameters.json, '$')['name']   => String:w
          len('héllo')                                    => Long:5
          len(nums)                                       => Long:3
          len(m)                                          => Long:2
          upper('abc')                                    => String:ABC
          lower('ABC')                                    => String:abc
          trim('  a b  ')                                 => String:a b
          trim('xxaxx', 'x')                              => String:a
          trimPrefix('prefix-x', 'prefix-')               => String:x
          trimSuffix('a.txt', '.txt')                     => String:a
          split('a,b,,c', ',')                            => ArrayList:["a","b","","c"]
          join(['a', 'b'], '-')                           => String:a-b
          join(split('a b c', ' '))                       => String:abc
          replace('a-b-c', '-', '+')                      => String:a+b+c
          hasPrefix('hello', 'he')                        => Boolean:true
          hasSuffix('hello', 'he')                        => Boolean:false
          indexOf('hello', 'l')                           => Long:2
          repeat('ab', 3)                                 => String:ababab
          int('42') + 1                                   => Long:43
          int(3.9)                                        => Long:3
          float('2.5')                                    => Double:2.5
          abs(-3)                                         => Long:3
          abs(-2.5)                                       => Double:2.5
          max(1, 5, 3)                                    => Long:5
          min(nums)                                       => Long:1
          max(1, 2.5)                                     => Double:2.5
          sum(nums)                                       => Long:6
          keys({a: 1})                                    => ArrayList:["a"]
          values({a: 1})                                  => ArrayList:[1]
          first(nums)                                     => Long:3
          last(nums)                                      => Long:2
          first([])                                       => nil
          fromJSON(inputs.parameters.list)[1]             => String:b
          toJSON({b: 1, a: [true]})                       => String:{"a":[true],"b":1}
          filter(nums, # > 1)                             => ArrayList:[3,2]
          filter(people, .age >= 18)[0].name              => String:ann
          map(nums, # * 10)                               => ArrayList:[30,10,20]
          map(people, {#.name})                           => ArrayList:["ann","bob"]
          all(nums, # > 0)                                => Boolean:true
          any(nums, # > 2)                                => Boolean:true
          none(nums, # > 5)                               => Boolean:true
          one(nums, # == 1)                               => Boolean:true
          count(nums, # >= 2)                             => Long:2
          find(people, .name == 'bob').age                => Long:17
          findIndex(nums, # == 2)                         => Long:2
          sprig.trim('  x ')                              => String:x
          sprig.upper(inputs.parameters.name)             => String:WORLD
          sprig.lower('ABC')                              => String:abc
          sprig.title('hello world')                      => String:Hello World
          sprig.replace('-', '_', 'a-b-c')                => String:a_b_c
          sprig.add(1, '2', 3.7)                          => Long:6
          sprig.sub(10, 4)                                => Long:6
          sprig.mul(2, 3)                                 => Long:6
          sprig.div(7, 2)                                 => Long:3
          sprig.mod(7, 4)                                 => Long:3
          sprig.max(1, 9, 4)                              => Long:9
          sprig.int('12')                                 => Long:12
          sprig.int('5.0')                                => Long:5
          sprig.int('nope')                               => Long:0
          sprig.atoi('7')                                 => Long:7
          sprig.float64('1.25')                           => Double:1.25
          sprig.toString(12)                              => String:12
          sprig.contains('ell', 'hello')                  => Boolean:true
          sprig.hasPrefix('he', 'hello')                  => Boolean:true
          sprig.trimSuffix('.txt', 'a.txt')               => String:a
          sprig.default('dflt', workflow.parameters.blank) => String:dflt
          sprig.default('dflt', 'given')                  => String:given
          sprig.default('dflt', none)                     => String:dflt
          sprig.empty('')                                 => Boolean:true
          sprig.empty(m)                                  => Boolean:false
          sprig.empty(0)                                  => Boolean:true
          sprig.splitList(',', 'a,b')                     => ArrayList:["a","b"]
          sprig.join('+', ['a', 1])                       => String:a+1
          sprig.quote('a', 1)                             => String:"a" "1"
          sprig.squote('a')                               => String:'a'
          sprig.repeat(2, 'ab')                           => String:abab
          sprig.toJson({a: 1})                            => String:{"a":1}
          """)
  void functions(String expression, String expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          nosuch > 1                 => unknown name nosuch at position 1 in expression 'nosuch > 1'
          1 + nosuch.x               => unknown name nosuch at position 5
          true || nosuch             => unknown name nosuch
          frobnicate(1)              => unknown function frobnicate at position 1
          sprig.frobnicate(1)        => unknown function sprig.frobnicate
          1 +                        => cannot parse expression '1 +': unexpected end of expression at position 4
          (1 + 2                     => expected ')' but found end of expression at position 7
          1 2                        => unexpected token '2' at position 3
          'open                      => literal not terminated: string starting at position 1
          1 @ 2                      => unexpected character '@' at position 3
          a.                         => cannot parse expression 'a.'
          n > 1 ? 'x'                => expected ':' but found end of expression
          #                          => '#' used outside a predicate
          inputs.parameters.x > 5    => invalid operation: string > int ("7" > 5)
          'a' + 1                    => invalid operation: string + int
          1.5 % 2                    => invalid operation: float64 % int
          5 % 0                      => integer divide by zero
          -'a'                       => invalid operation: - string
          !1                         => invalid operation: ! int
          'x' && true                => non-bool value "x" (type string) used with '&&'
          n ? 1 : 2                  => non-bool value 3 (type int) used with ternary condition
          none.a                     => cannot fetch "a" from nil (use ?. for optional access)
          n.a                        => cannot fetch "a" from int
          nums[3]                    => index out of range: 3 (array length is 3)
          nums['a']                  => index is not an int
          'a' matches '('            => invalid regular expression '('
          asInt('abc')               => asInt: strconv.ParseInt: parsing "abc": invalid syntax
          asInt(nums)                => asInt() not supported on array
          asFloat('x1')              => asFloat: strconv.ParseFloat: parsing "x1": invalid syntax
          int('x')                   => int(): cannot convert "x" to int
          upper(1)                   => upper() argument 1 must be a string, got int 1
          len(1)                     => len() not supported on int
          len(1, 2)                  => len() takes 1 argument(s), got 2
          jsonpath('{', '$.a')       => jsonpath: invalid JSON
          jsonpath('{}', 'a')        => jsonpath: path 'a' must start with '$'
          jsonpath('{}', '$.a')      => jsonpath: unknown key a in '$.a'
          jsonpath('[1]', '$[2]')    => jsonpath: index [2] out of range in '$[2]' (array length is 1)
          jsonpath('{}', '$..a')     => recursive descent '..' is not supported
          jsonpath('[1]', '$[?(@>1)]') => unsupported selector '[?(@>1)]'
          filter(1, # > 1)           => filter() needs an array, got int
          filter(nums, #)            => non-bool value 3 (type int) used with filter() predicate
          sprig.div(1, 0)            => sprig.div: integer divide by zero
          1..2000000                 => range 1..2000000 is longer than 1000000
          """)
  void errorsNameTheFault(String expression, String message) {
    assertThatThrownBy(() -> Expr.evaluate(expression, env()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("'" + expression + "'");
  }

  @Nested
  class Nest {
    @Test
    void nestsDottedKeysAndKeepsFlatOnes() {
      Map<String, Object> env = Expr.nest(Map.of("inputs.parameters.x", "1", "workflow.name", "w", "plain", "p"));
      assertThat(env).containsEntry("plain", "p").containsEntry("inputs.parameters.x", "1").containsEntry("workflow.name", "w");
      assertThat(env.get("inputs")).isEqualTo(Map.of("parameters", Map.of("x", "1")));
      assertThat(env.get("workflow")).isEqualTo(Map.of("name", "w"));
    }

    @Test
    void aKeyThatIsAlsoAPrefixKeepsTheMapNestedAndTheValueFlat() {
      Map<String, Object> env = Expr.nest(Map.of(
          "steps.s.outputs.parameters", "[{\"p\":\"1\"}]",
          "steps.s.outputs.parameters.p", "1"));
      assertThat(Expr.evaluate("steps.s.outputs.parameters.p", env)).isEqualTo("1");
      assertThat(env).containsEntry("steps.s.outputs.parameters", "[{\"p\":\"1\"}]");
    }

    @Test
    void nilValuesAreKnownNames() {
      Map<String, Object> env = new HashMap<>();
      env.put("skipped", null);
      assertThat(Expr.evaluate("skipped ?? 'default'", env)).isEqualTo("default");
    }
  }

  @Test
  void envIntegersComeBackAsLong() {
    assertThat(Expr.evaluate("i", Map.of("i", 5))).isEqualTo(5L);
    assertThat(Expr.evaluate("i * 2", Map.of("i", 5))).isEqualTo(10L);
    assertThat(Expr.evaluate("i / 2", Map.of("i", 5.0f))).isEqualTo(2.5);
  }

  @Test
  void functionsListsArgoAndSprigNames() {
    assertThat(Expr.functions()).contains("asInt", "asFloat", "toJson", "jsonpath", "filter", "sprig.trim", "sprig.default");
  }

  @Test
  void deeplyNestedExpressionIsAnExpressionError() {
    String deep = "(".repeat(20000) + "1" + ")".repeat(20000);
    assertThatThrownBy(() -> Expr.evaluate(deep, Map.of()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nested too deeply");
  }
}
