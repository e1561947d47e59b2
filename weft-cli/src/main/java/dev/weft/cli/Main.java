package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command. Subcommands are thin: they map flags to the runtime's types. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs WebAssembly (WASI) modules as workflow tasks.",
    subcommands = {
      RunCommand.class,
      LintCommand.class,
      LogsCommand.class,
      ListCommand.class,
      ExecCommand.class,
      ServeCommand.class,
      AgentCommand.class,
      PullCommand.class,
      PushCommand.class,
      InspectCommand.class,
      PluginCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Exit status for usage errors and modules that cannot be loaded. */
  static final int USAGE = 2;

  public static void main(String[] args) {
    StartupTrace.mark("main");
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /**
   * Subcommands by name. picocli builds the model of every registered command up front (reflection
   * over all their options, ~20 ms each on a cold JVM), so a run of one subcommand builds only that
   * one; the full tree is built for help and usage errors.
   */
  static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS =
      java.util.Map.ofEntries(
          java.util.Map.entry("run", RunCommand::new),
          java.util.Map.entry("lint", LintCommand::new),
          java.util.Map.entry("logs", LogsCommand::new),
          java.util.Map.entry("list", ListCommand::new),
          java.util.Map.entry("exec", ExecCommand::new),
          java.util.Map.entry("serve", ServeCommand::new),
          java.util.Map.entry("agent", AgentCommand::new),
          java.util.Map.entry("pull", PullCommand::new),
          java.util.Map.entry("push", PushCommand::new),
          java.util.Map.entry("inspect", InspectCommand::new),
          java.util.Map.entry("plugin", PluginCommand::new));

  /** Runs with the given output streams; tests use this. */
  static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    java.util.function.Supplier<Object> one = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    CommandLine cli;
    if (one != null) {
      cli = new CommandLine(one.get());
      cli.setCommandName("weft " + args[0]);
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    } else {
      cli = new CommandLine(new Main());
    }
    cli.setOut(out);
    cli.setErr(err);
    versionEverywhere(cli);
    StartupTrace.mark("model");
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("weft: " + e.getMessage());
          return USAGE;
        });
    return cli.execute(args);
  }

  /**
   * {@code -V}/{@code --version} print weft's version on every command, not only on {@code weft}.
   */
  private static void versionEverywhere(CommandLine cli) {
    cli.getCommandSpec().versionProvider(new Version());
    cli.getSubcommands().values().forEach(Main::versionEverywhere);
  }

  /** The Maven project version, filtered into {@code version.properties} by the build. */
  static final class Version implements CommandLine.IVersionProvider {
    static String version() {
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in == null)
          throw new IllegalStateException("version.properties is missing from weft's jar");
        java.util.Properties p = new java.util.Properties();
        p.load(in);
        return p.getProperty("version");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read weft's version.properties", e);
      }
    }

    @Override
    public String[] getVersion() {
      // Which JDK runs weft matters for speed (compiled Wasm is ~1.4x faster on JDK 25 than on 17,
      // docs/benchmarks.md §3), so say which one the launcher picked.
      return new String[] {
        "weft " + version(),
        "JVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ", "
            + System.getProperty("java.home")
            + ")"
      };
    }
  }
}
