package dev.weft.cli;

/**
 * Makes text from modules and workflows safe to print to a terminal: control characters (ESC, CR,
 * NUL, DEL, the C1 range, line and paragraph separators) become visible escapes such as {@code \e}
 * and {@code \u0000}, so a module cannot clear the screen, rewrite a line or fake a result.
 */
final class TerminalText {
  private TerminalText() {}

  /** One line: newlines are escaped too. */
  static String line(String s) {
    return escape(s, false);
  }

  /** A block of lines (a stdout tail, a result): newlines and tabs are kept. */
  static String block(String s) {
    return escape(s, true);
  }

  private static String escape(String s, boolean keepLines) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = replacement(c, keepLines);
      if (rep == null) {
        if (b != null) b.append(c);
        continue;
      }
      if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
      b.append(rep);
    }
    return b == null ? s : b.toString();
  }

  private static String replacement(char c, boolean keepLines) {
    if (keepLines && (c == '\n' || c == '\t')) return null;
    return switch (c) {
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      case '\r' -> "\\r";
      case 0x1b -> "\\e";
      default ->
          (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029)
              ? String.format("\\u%04x", (int) c)
              : null;
    };
  }
}
