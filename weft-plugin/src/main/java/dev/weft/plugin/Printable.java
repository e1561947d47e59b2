package dev.weft.plugin;

/**
 * Text from a request, made safe to quote in a reply or a log line: control characters escaped,
 * length capped.
 */
final class Printable {
  private Printable() {}

  static String of(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return s.length() > max ? b + "…" : b.toString();
  }
}
