package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplatesTest {

  private static final Map<String, String> VARS =
      Map.of(
          "inputs.parameters.x", "7",
          "inputs.parameters.message", "hello world",
          "inputs.parameters.json", "{\"a\":{\"b\":[10,20]},\"s\":\"str\"}",
          "steps.flip-coin.outputs.result", "heads",
          "workflow.name", "wf-abc",
          "item", "3");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "echo {{inputs.parameters.message}} => echo hello world",
        "{{ inputs.parameters.x }}-{{workflow.name}} => 7-wf-abc",
        "no tags here => no tags here",
        "unclosed {{ tag => unclosed {{ tag",
        "{{=asInt(inputs.parameters.x) > 5}} => true",
        "{{= asInt(inputs.parameters.x) * 2 }} => 14",
        "{{=asFloat(inputs.parameters.x) / 2}} => 3.5",
        "{{=asFloat(inputs.parameters.x) * 2}} => 14",
        "{{=steps['flip-coin'].outputs.result == 'heads' ? 'win' : 'lose'}} => win",
        "{{=inputs.parameters['message']}} => hello world",
        "{{=jsonpath(inputs.parameters.json, '$.a.b[1]')}} => 20",
        "{{=jsonpath(inputs.parameters.json, '$.a')}} => {\"b\":[10,20]}",
        "{{=jsonpath(inputs.parameters.json, '$.s')}} => str",
        "{{=inputs.parameters.missing ?? 'fallback'}} => fallback",
        "{{=sprig.upper(workflow.name)}} => WF-ABC",
        "{{=[1, 'a']}} => [1,\"a\"]",
        "{{=toJson({k: asInt(item)})}} => {\"k\":3}",
        "a {{item}} b {{=asInt(item) + 1}} c => a 3 b 4 c",
      })
  void renders(String text, String expected) {
    assertThat(Templates.render(text, VARS, true)).isEqualTo(expected);
  }

  @Test
  void unresolvedSimpleTagFailsOrStays() {
    assertThatThrownBy(() -> Templates.render("x {{ steps.nope.outputs.result }} y", VARS, true))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("failed to resolve {{steps.nope.outputs.result}}");
    assertThat(Templates.render("x {{ steps.nope.outputs.result }} {{item}}", VARS, false))
        .isEqualTo("x {{ steps.nope.outputs.result }} 3");
  }

  @Test
  void failingExpressionNamesItsErrorOrStays() {
    assertThatThrownBy(() -> Templates.render("{{=asInt(nope)}}", VARS, true))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "failed to evaluate expression: unknown name nope at position 7 in 'asInt(nope)'");
    assertThatThrownBy(() -> Templates.render("{{=inputs.parameters.missing}}", VARS, true))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("failed to evaluate expression: 'inputs.parameters.missing' evaluated to nil");
    assertThatThrownBy(() -> Templates.render("{{=bogus(1)}}", VARS, true))
        .hasMessageContaining("unknown function bogus");
    assertThat(Templates.render("{{=asInt(nope)}} {{=inputs.parameters.missing}}", VARS, false))
        .isEqualTo("{{=asInt(nope)}} {{=inputs.parameters.missing}}");
  }

  @Test
  void referencesListsSimpleTagsOnly() {
    assertThat(
            Templates.references(
                "{{a}} {{ b.c }} {{=asInt(d)}} {{a}} {{steps.x-y.outputs.result}} {{ unclosed"))
        .containsExactly("a", "b.c", "steps.x-y.outputs.result");
    assertThat(Templates.references("nothing")).isEmpty();
  }
}
