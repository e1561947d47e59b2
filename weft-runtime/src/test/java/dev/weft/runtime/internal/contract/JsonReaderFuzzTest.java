package dev.weft.runtime.internal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * weft's result.json reader against Jackson's streaming parser, which it replaced, on generated
 * documents: valid JSON of every kind, the same with one character changed, inserted or dropped
 * (mostly invalid), and strings from JSON's own alphabet. Both must accept the same documents and
 * read the same values. Seeded and bounded, so the build is repeatable.
 */
class JsonReaderFuzzTest {
  @Property(seed = "8821", tries = 400)
  void validDocumentsReadAsJacksonReadsThem(@ForAll("documents") String doc) {
    assertThat(ours(doc)).as(doc).isEqualTo(jackson(doc)).isPresent();
  }

  @Property(seed = "8822", tries = 600)
  void mutatedDocumentsAreAcceptedOrRefusedAsJacksonDoes(
      @ForAll("documents") String doc,
      @ForAll("positions") double where,
      @ForAll("alphabet") char c,
      @ForAll("edits") int edit) {
    int at = (int) (where * doc.length());
    String mutated =
        switch (edit) {
          case 0 -> doc.substring(0, at) + c + doc.substring(at);
          case 1 -> at < doc.length() ? doc.substring(0, at) + doc.substring(at + 1) : doc;
          default -> at < doc.length() ? doc.substring(0, at) + c + doc.substring(at + 1) : doc + c;
        };
    assertThat(ours(mutated)).as(mutated).isEqualTo(jackson(mutated));
  }

  @Property(seed = "8823", tries = 600)
  void stringsOfJsonsAlphabetAreAcceptedOrRefusedAsJacksonDoes(
      @ForAll("alphabetStrings") String doc) {
    assertThat(ours(doc)).as(doc).isEqualTo(jackson(doc));
  }

  @Provide
  Arbitrary<String> documents() {
    return value(3);
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of("true", "false", "null"),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.bigIntegers()
                .between(
                    java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
                .map(String::valueOf),
            Arbitraries.doubles()
                .between(-1e12, 1e12)
                .ofScale(4)
                .map(d -> String.valueOf(d.doubleValue())),
            Arbitraries.of("0", "-0", "1e3", "1E-3", "-2.5e+10", "0.0", "123456789012345678901234"),
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\u00e9', '\u4e2d', '\ud83d', '\ude00', '\t')
                .ofMaxLength(12)
                .map(JsonReaderFuzzTest::quoted));
    if (depth == 0) return scalar;
    Arbitrary<String> inner = Arbitraries.lazy(() -> value(depth - 1));
    Arbitrary<String> array = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> object =
        Combinators.combine(
                Arbitraries.strings().alpha().ofMaxLength(5).map(JsonReaderFuzzTest::quoted), inner)
            .as((k, v) -> k + ":" + v)
            .list()
            .ofMaxSize(4)
            .map(l -> "{" + String.join(",", l) + "}");
    Arbitrary<String> spaced =
        Combinators.combine(Arbitraries.of("", " ", "\n", "\t "), Arbitraries.of("", " ", "\r\n"))
            .as((a, b) -> a + "%s" + b)
            .flatMap(f -> Arbitraries.oneOf(scalar, array, object).map(v -> String.format(f, v)));
    return spaced;
  }

  /** A JSON string literal, escaping what JSON requires and sometimes what it only allows. */
  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '/' -> b.append("\\/");
        default -> {
          if (ch > 0x7e) b.append(String.format("\\u%04x", (int) ch));
          else b.append(ch);
        }
      }
    }
    return b.append('"').toString();
  }

  @Provide
  Arbitrary<Double> positions() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<Character> alphabet() {
    return Arbitraries.of(
        '{', '}', '[', ']', ',', ':', '"', '\\', '-', '+', '.', 'e', 'E', '0', '1', '9', 't', 'n',
        'u', ' ', '\n', '\u0000', '\u001f', '\u00e9');
  }

  @Provide
  Arbitrary<Integer> edits() {
    return Arbitraries.integers().between(0, 2);
  }

  @Provide
  Arbitrary<String> alphabetStrings() {
    return Arbitraries.strings()
        .withChars("{}[],:\"\\-+.eE0129tfrunlsaU \n\t/bx")
        .ofMinLength(1)
        .ofMaxLength(16);
  }

  private static Optional<Object> ours(String doc) {
    return JacksonReference.ours(doc.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<Object> jackson(String doc) {
    return JacksonReference.jackson(doc);
  }
}
