package dev.weft.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplatesTest {
  private static final Map<String, String> VARS = Map.of(
      "inputs.parameters.message", "hello world",
      "inputs.parameters.x", "7",
      "inputs.parameters.json", "{\"a\": {\"b\": [\"one\", \"two\"]}, \"n\": 2}",
      "steps.flip-coin.outputs.result", "heads",
      "steps.heads.outputs.result", "it was heads",
      "workflow.name", "wf-1",
      "item", "x");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '`',
      textBlock = """
          echo {{inputs.parameters.message}}                  => echo hello world
          {{ inputs.parameters.message }}!                    => hello world!
          {{item}}-{{workflow.name}}                          => x-wf-1
          no tags at all                                      => no tags at all
          {{=asInt(inputs.parameters.x) > 5}}                 => true
          {{= asInt(inputs.parameters.x) * 2 }}               => 14
          {{=asFloat(inputs.parameters.x) / 2}}               => 3.5
          {{=asFloat(inputs.parameters.x) * 2}}               => 14
          {{=sprig.upper(inputs.parameters.message)}}         => HELLO WORLD
          {{=jsonpath(inputs.parameters.json, '$.a.b[1]')}}   => two
          {{=jsonpath(inputs.parameters.json, '$.n') + 1}}    => 3
          {{=jsonpath(inputs.parameters.json, '$.a')}}        => {"b":["one","two"]}
          {{=split(inputs.parameters.message, ' ')}}          => ["hello","world"]
          {{=inputs.parameters['message']}}                   => hello world
          {{=steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.result : steps.tails.outputs.result}} => it was heads
          {{=nosuch ?? 'none'}}                               => {{=nosuch ?? 'none'}}
          {{=workflow.missing ?? 'none'}}                     => none
          a {{ unclosed                                       => a {{ unclosed
          """)
  void rendersLikeArgo(String text, String expected) {
    assertThat(Templates.render(text, VARS, false)).isEqualTo(expected);
  }

  @Test
  void unresolvedTagsAreLeftWhenAllowed() {
    assertThat(Templates.render("a {{ steps.x.outputs.result }} b {{=nosuch + 1}} c", VARS, false))
        .isEqualTo("a {{ steps.x.outputs.result }} b {{=nosuch + 1}} c");
  }

  @Test
  void unresolvedSimpleTagFailsNamingTheTag() {
    assertThatThrownBy(() -> Templates.render("echo {{ steps.x.outputs.result }}", VARS, true))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("failed to resolve {{steps.x.outputs.result}}");
  }

  @Test
  void failingExpressionFailsNamingTheExpressionAndName() {
    assertThatThrownBy(() -> Templates.render("{{=nosuch > 1}}", VARS, true))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("{{=nosuch > 1}}")
        .hasMessageContaining("unknown name nosuch");
  }

  @Test
  void nilExpressionResultFailsWhenUnresolvedIsAnError() {
    assertThatThrownBy(() -> Templates.render("{{=workflow.missing}}", VARS, true))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("{{=workflow.missing}} evaluated to nil");
  }

  @Test
  void whenWithAnExpressionTagIsRenderedThenEvaluatedByGovaluate() {
    String when = Templates.render("{{=asInt(inputs.parameters.x) > 5}}", VARS, true);
    assertThat(Govaluate.evaluateCondition(when)).isTrue();
    String coinflip = Templates.render("{{steps.flip-coin.outputs.result}} == heads", VARS, true);
    assertThat(coinflip).isEqualTo("heads == heads");
    assertThat(Govaluate.evaluateCondition(coinflip)).isTrue();
    assertThat(Govaluate.evaluateCondition(Templates.render("{{steps.flip-coin.outputs.result}} == tails", VARS, true)))
        .isFalse();
  }

  @Test
  void referencesListsSimpleTagsInOrderWithoutExpressions() {
    assertThat(Templates.references("{{tasks.A.outputs.result}} {{ item }} {{=asInt(x)}} {{tasks.A.outputs.result}} {{}}"))
        .containsExactly("tasks.A.outputs.result", "item");
  }

  @Test
  void stringifyPrintsNumbersAsArgoDoes() {
    assertThat(Templates.stringify(3.0)).isEqualTo("3");
    assertThat(Templates.stringify(0.1)).isEqualTo("0.1");
    assertThat(Templates.stringify(1e21)).isEqualTo("1e+21");
    assertThat(Templates.stringify(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(Templates.stringify(-2L)).isEqualTo("-2");
    assertThat(Templates.stringify(false)).isEqualTo("false");
  }
}
