package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The example workflows, mutated line by line: parsing gives a workflow or an {@link
 * InvalidWorkflowException} naming a field, never another exception.
 */
class WorkflowParserFuzzTest {
  private static final List<String> EXAMPLES;
  private static final String[] SNIPPETS = {
    "",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    "*a0",
    "&a0 x",
    "!!binary AA",
    "? x",
    "|",
    ">-",
    "'",
    "\"",
    "  ",
    "\t",
    "#",
    "---",
    "...",
    "null",
    "~",
    "1e999",
    "-0x1",
    "steps:",
    "dag:",
    "template: main",
    "withSequence: {end: \"9e18\"}",
    "retryStrategy: {limit: 99999999}",
    "{{inputs.parameters.x}}",
    "\u0000"
  };

  static {
    try (Stream<Path> s = Files.list(Runs.WORKFLOWS)) {
      EXAMPLES =
          s.filter(p -> p.toString().endsWith(".yaml"))
              .sorted()
              .map(
                  p -> {
                    try {
                      return Files.readString(p);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(seed = "4107", tries = 300)
  void aMutatedWorkflowParsesOrIsRefusedNamingAField(@ForAll("mutations") String yaml) {
    try {
      WorkflowParser.parse(yaml, Runs.EXAMPLES);
    } catch (InvalidWorkflowException e) {
      assertThat(e.field()).isNotBlank();
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<String> example = Arbitraries.of(EXAMPLES);
    Arbitrary<List<Integer>> lines =
        Arbitraries.integers().between(0, 200).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<List<String>> inserts = Arbitraries.of(SNIPPETS).list().ofSize(4);
    return Combinators.combine(example, lines, inserts)
        .as(
            (text, at, what) -> {
              List<String> l = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
              for (int i = 0; i < at.size(); i++) {
                int n = at.get(i) % l.size();
                String line = l.get(n);
                int col = Math.min(line.length(), at.get(i) % 40);
                l.set(n, line.substring(0, col) + what.get(i) + line.substring(col));
              }
              return String.join("\n", l);
            });
  }
}
