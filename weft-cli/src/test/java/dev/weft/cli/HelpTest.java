package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command in the tree answers --help and -h with its usage and exit 0; --version is the
 * build's.
 */
class HelpTest {

  /**
   * Every command path under weft, found by walking the full command tree (new commands are covered
   * when registered).
   */
  static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    walk(new CommandLine(new Main()), new ArrayList<>(), paths);
    return paths;
  }

  private static void walk(CommandLine cli, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().name().equals(name)) return; // an alias
              List<String> p = new ArrayList<>(path);
              p.add(name);
              walk(sub, p, paths);
            });
  }

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersHelpAndDashHWithItsUsage() {
    return commandPaths().stream()
        .flatMap(
            path ->
                Stream.of("--help", "-h")
                    .map(
                        flag ->
                            DynamicTest.dynamicTest(
                                String.join(" ", "weft", String.join(" ", path), flag)
                                    .replaceAll(" +", " "),
                                () -> {
                                  List<String> args = new ArrayList<>(path);
                                  args.add(flag);
                                  Cli.Run r = Cli.weft(args.toArray(String[]::new));
                                  assertThat(r.status()).as(r.err()).isZero();
                                  assertThat(r.out())
                                      .contains(
                                          ("Usage: weft " + String.join(" ", path)).strip() + " [");
                                  assertThat(r.err()).isEmpty();
                                })));
  }

  @Test
  void theTreeHasTheCommandsTheReadmeNames() {
    assertThat(commandPaths())
        .contains(
            List.of("run"),
            List.of("exec"),
            List.of("serve"),
            List.of("pull"),
            List.of("push"),
            List.of("inspect"),
            List.of("plugin", "manifest"));
  }

  @Test
  void everyRegisteredSubcommandCanBeStartedOnItsOwn() {
    // Main builds only the named subcommand; one registered without an entry there would run as the
    // full tree.
    List<String> top =
        commandPaths().stream()
            .filter(p -> p.size() == 1)
            .map(p -> p.get(0))
            .filter(n -> !n.equals("help"))
            .toList();
    assertThat(Main.SUBCOMMANDS.keySet()).containsExactlyInAnyOrderElementsOf(top);
  }

  @Test
  void versionIsTheMavenProjectVersionOnEveryCommand() throws Exception {
    Matcher m =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).as("weft-cli/pom.xml names its parent's version").isTrue();
    // the version, then the JVM that runs weft (the launcher picks the best JDK present)
    String expected =
        "weft "
            + m.group(1)
            + "\nJVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version");

    assertThat(Cli.weft("--version").out()).startsWith(expected);
    assertThat(Cli.weft("-V").out()).startsWith(expected);
    assertThat(Cli.weft("exec", "--version").out()).startsWith(expected);
    assertThat(Cli.weft("plugin", "manifest", "--version").out()).startsWith(expected);
    assertThat(Cli.weft("agent", "--version").out()).startsWith(expected);
  }
}
