package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every {@code ./weft …} command written in README.md, docs/ and the examples' READMEs parses as
 * the CLI is now: its command exists and takes those options. (Running them is the other tests'
 * job.)
 */
class DocsCommandsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Command(String where, List<String> args) {}

  static List<Command> commands() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"));
        Stream<Path> ex = Files.walk(ROOT.resolve("examples"))) {
      Stream.concat(docs, ex)
          .filter(p -> p.toString().endsWith(".md"))
          .sorted()
          .forEach(files::add);
    }
    List<Command> out = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.startsWith("./weft ")) continue;
        int first = i;
        while (line.endsWith("\\") && i + 1 < lines.size())
          line = line.substring(0, line.length() - 1) + " " + lines.get(++i).strip();
        List<String> words = words(line);
        if (words.stream().anyMatch(w -> w.startsWith("[") || w.matches("[A-Z]{3,}")))
          continue; // a synopsis, not a command
        out.add(
            new Command(ROOT.relativize(f) + ":" + (first + 1), words.subList(1, words.size())));
      }
    }
    return out;
  }

  /** Shell words up to a comment, a pipe or a trailing &, with '…' and "…" quoting. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        else w.append(c);
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        if (w == null) w = new StringBuilder();
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (w != null) words.add(w.toString());
        w = null;
        continue;
      }
      if ((c == '#' || c == '|' || c == '&') && w == null) break;
      if (w == null) w = new StringBuilder();
      w.append(c);
    }
    if (w != null) words.add(w.toString());
    return words;
  }

  @org.junit.jupiter.api.Test
  void aFlagTheCliDoesNotHaveFailsToParse() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new CommandLine(new Main()).parseArgs("exec", "m.wasm", "--bogus"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    assertThat(words("./weft serve -p 'a b' --x=1 & # later"))
        .containsExactly("./weft", "serve", "-p", "a b", "--x=1");
  }

  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandParses() throws IOException {
    List<Command> commands = commands();
    assertThat(commands).as("commands found in the docs").hasSizeGreaterThan(20);
    CommandLine cli =
        new CommandLine(new Main()); // built once: picocli resets it before each parse
    return commands.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.where() + ": weft " + String.join(" ", c.args()),
                    () ->
                        assertThatCode(() -> cli.parseArgs(c.args().toArray(String[]::new)))
                            .as(c.where())
                            .doesNotThrowAnyException()));
  }
}
