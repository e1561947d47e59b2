package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command. Subcommands are thin: they map flags to the runtime's types. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs WebAssembly (WASI) modules as workflow tasks.",
    subcommands = {ExecCommand.class, ServeCommand.class, PullCommand.class, PushCommand.class, InspectCommand.class, PluginCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  /** Exit status for usage errors and modules that cannot be loaded. */
  static final int USAGE = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs with the given output streams; tests use this. */
  static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("weft: " + e.getMessage());
      return USAGE;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"weft " + (v == null ? "dev" : v)};
    }
  }
}
