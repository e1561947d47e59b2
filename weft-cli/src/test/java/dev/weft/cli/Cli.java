package dev.weft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code weft} command in-process and captures what it prints. */
final class Cli {
  record Run(int status, String out, String err) {}

  private Cli() {}

  static Run weft(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }
}
