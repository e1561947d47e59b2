package dev.weft.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.expr.Lexer.Dialect;
import dev.weft.expr.Lexer.Kind;
import dev.weft.expr.Lexer.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One lexer, two languages: where expr and govaluate read the same text the same way, and where
 * they do not.
 */
class LexerTest {
  private static final Dialect EXPR = ExprTokens.DIALECT;
  private static final Dialect GOVALUATE = GovaluateTokens.DIALECT;

  /** Each token as KIND:text=value, the end token left out. */
  private static List<String> lex(String text, Dialect d) {
    List<Token> tokens = Lexer.lex(text, d);
    assertThat(tokens.get(tokens.size() - 1).kind()).isEqualTo(Kind.EOF);
    return tokens.subList(0, tokens.size() - 1).stream()
        .map(t -> t.kind() + ":" + t.text() + (t.value() == null ? "" : "=" + t.value()))
        .toList();
  }

  @Test
  void sharedTokensReadAlikeInBothLanguages() {
    for (Dialect d : List.of(EXPR, GOVALUATE)) {
      assertThat(
              lex("(1 ** 2) >= 3 && 'a b' != \"c\" ?? x", d).stream()
                  .filter(
                      t ->
                          t.startsWith("OP:")
                              || t.startsWith("STRING:'")
                              || t.startsWith("STRING:\""))
                  .toList())
          .containsExactly(
              "OP:(",
              "OP:**",
              "OP:)",
              "OP:>=",
              "OP:&&",
              "STRING:'a b'=a b",
              "OP:!=",
              "STRING:\"c\"=c",
              "OP:??");
    }
  }

  @Test
  void positionsCountFromZeroAndWhitespaceIsSkipped() {
    List<Token> tokens = Lexer.lex("  a  ==b", EXPR);
    assertThat(tokens).extracting(Token::pos).containsExactly(2, 5, 7, 8);
    assertThat(Lexer.lex("  a  ==b", GOVALUATE)).extracting(Token::pos).containsExactly(2, 5, 7, 8);
  }

  @Test
  void numbersAreIntegersOrFloatsInExprAndAlwaysFloatsInGovaluate() {
    assertThat(lex("1_000 0x1F 2.5e3", EXPR))
        .containsExactly("NUMBER:1_000=1000", "NUMBER:0x1F=31", "NUMBER:2.5e3=2500.0");
    assertThat(lex("1000 0x1F 2.5", GOVALUATE))
        .containsExactly("NUMBER:1000=1000.0", "NUMBER:0x1F=31.0", "NUMBER:2.5=2.5");
    // expr's range operator is not a fraction; govaluate has no range operator
    assertThat(lex("1..3", EXPR)).containsExactly("NUMBER:1=1", "OP:..", "NUMBER:3=3");
    assertThatThrownBy(() -> lex("1..3", GOVALUATE))
        .hasMessage("Unable to parse numeric value '1..3' to float64");
  }

  @Test
  void wordsAreNamesInExprAndStringsInGovaluate() {
    assertThat(lex("steps.flip.outputs", EXPR))
        .containsExactly(
            "IDENT:steps=steps", "OP:.", "IDENT:flip=flip", "OP:.", "IDENT:outputs=outputs");
    assertThat(lex("steps.flip.outputs", GOVALUATE))
        .containsExactly("STRING:steps.flip.outputs=steps.flip.outputs");
    assertThat(lex("true in IN $x", EXPR))
        .containsExactly("IDENT:true=true", "IDENT:in=in", "IDENT:IN=IN", "IDENT:$x=$x");
    assertThat(lex("true in IN", GOVALUATE)).containsExactly("BOOLEAN:true=true", "OP:in", "OP:in");
    assertThat(lex("#.a", EXPR)).containsExactly("IDENT:#=#", "OP:.", "IDENT:a=a");
  }

  @Test
  void bracketsAreIndexingInExprAndParameterNamesInGovaluate() {
    assertThat(lex("[some var]", EXPR))
        .containsExactly("OP:[", "IDENT:some=some", "IDENT:var=var", "OP:]");
    assertThat(lex("[some var]", GOVALUATE)).containsExactly("STRING:[some var]=some var");
    assertThatThrownBy(() -> lex("[oops", GOVALUATE))
        .hasMessage("Unclosed parameter bracket starting at position 1");
  }

  @Test
  void escapesAreGosInExprAndLiteralInGovaluate() {
    assertThat(Lexer.lex("'a\\nb\\u00e9'", EXPR).get(0).value()).isEqualTo("a\nbé");
    assertThat(Lexer.lex("'a\\nb'", GOVALUATE).get(0).value()).isEqualTo("anb");
    assertThat(Lexer.lex("`a\\n`", EXPR).get(0).value()).as("backquotes are raw").isEqualTo("a\\n");
    assertThatThrownBy(() -> lex("'\\q'", EXPR))
        .hasMessage("invalid escape \\q at position 2 in ''\\q''");
    assertThat(Lexer.lex("'\\q'", GOVALUATE).get(0).value()).isEqualTo("q");
  }

  @Test
  void errorsAreWordedPerLanguage() {
    assertThatThrownBy(() -> lex("1 @ 2", EXPR))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("unexpected character '@' at position 3 in '1 @ 2'");
    assertThatThrownBy(() -> lex("1 @ 2", GOVALUATE))
        .isInstanceOf(Govaluate.Syntax.class)
        .hasMessage("Invalid token: '@' at position 3");
    assertThatThrownBy(() -> lex("'abc", EXPR))
        .hasMessage("unterminated string starting at position 1 in ''abc'");
    assertThatThrownBy(() -> lex("'abc", GOVALUATE))
        .hasMessage("Unclosed string literal starting at position 1");
    assertThatThrownBy(() -> lex("`x`", GOVALUATE)).hasMessage("Invalid token: '`' at position 1");
  }

  @Test
  void symbolsOnlyOneLanguageHas() {
    assertThat(lex("a?.b", EXPR)).containsExactly("IDENT:a=a", "OP:?.", "IDENT:b=b");
    assertThat(lex("a?.5:1", EXPR))
        .as("?. before a digit is ? then a number")
        .containsExactly("IDENT:a=a", "OP:?", "NUMBER:.5=0.5", "OP::", "NUMBER:1=1");
    assertThat(lex("1 << 2 =~ x", GOVALUATE))
        .containsExactly("NUMBER:1=1.0", "OP:<<", "NUMBER:2=2.0", "OP:=~", "STRING:x=x");
    assertThatThrownBy(() -> lex("a =~ b", EXPR))
        .as("expr has = (for let), but no =~")
        .hasMessageStartingWith("unexpected character '~'");
  }
}
