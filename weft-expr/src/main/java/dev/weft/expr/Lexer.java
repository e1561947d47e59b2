package dev.weft.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The tokenizer Argo's two expression languages share: whitespace, quoted strings, symbols (first
 * match in the language's list, so longer ones come first), positions and the end token. A {@link
 * Dialect} holds where expr and govaluate differ: their symbols, which quotes open a string and
 * what a backslash does in one, scanners for the tokens only one language reads the way it does
 * (numbers, words, govaluate's {@code [name]}), and how errors are worded.
 */
final class Lexer {
  enum Kind {
    NUMBER,
    STRING,
    BOOLEAN,
    IDENT,
    OP,
    EOF
  }

  /** A token: {@code text} as written, {@code value} for literals, {@code pos} from 0. */
  record Token(Kind kind, String text, Object value, int pos) {
    /** An operator, or a word used as one, with this text. */
    boolean is(String s) {
      return (kind == Kind.OP || kind == Kind.IDENT) && text.equals(s);
    }
  }

  /** What a backslash does inside quotes. */
  enum Escapes {
    /**
     * expr's (Go's) escapes: {@code \n}, {@code \t}, {@code \u00e9}, {@code \x41}, ...; others are
     * errors.
     */
    GO,
    /** govaluate's: the backslash keeps the next character as it is. */
    LITERAL
  }

  /** Reads a token that starts at {@code p}, or returns null when none of its kind starts there. */
  interface Scanner {
    Token scan(Source src, int p);
  }

  /** Builds a language's exception for a failure at an index of the text. */
  interface Failure {
    RuntimeException at(String text, String what, int index);
  }

  /**
   * One language's lexical rules.
   *
   * @param scanners tried in order before strings and symbols
   * @param quotes characters that open (and close) a string
   * @param rawQuotes those of {@code quotes} inside which a backslash is just a backslash
   * @param unexpectedCharacter the words before {@code 'c'} for a character no rule reads
   * @param unterminatedString the words before {@code starting} for a string without its end
   */
  record Dialect(
      List<Scanner> scanners,
      String quotes,
      String rawQuotes,
      Escapes escapes,
      List<String> symbols,
      String unexpectedCharacter,
      String unterminatedString,
      Failure failure) {
    Dialect {
      scanners = List.copyOf(scanners);
      symbols = List.copyOf(symbols);
    }
  }

  /** The text being read, and its language's way to fail at a position. */
  record Source(String text, Dialect dialect) {
    RuntimeException error(String what, int index) {
      return dialect.failure().at(text, what, index);
    }
  }

  private Lexer() {}

  static List<Token> lex(String text, Dialect d) {
    Source src = new Source(text, d);
    List<Token> out = new ArrayList<>();
    int p = 0;
    int n = text.length();
    while (p < n) {
      char c = text.charAt(p);
      if (Character.isWhitespace(c)) {
        p++;
        continue;
      }
      Token t = scan(src, p);
      if (t == null && d.quotes().indexOf(c) >= 0) {
        t = string(src, p);
      }
      if (t == null) {
        t = symbol(src, p);
      }
      out.add(t);
      p += t.text().length();
    }
    out.add(new Token(Kind.EOF, "", null, n));
    return out;
  }

  private static Token scan(Source src, int p) {
    for (Scanner s : src.dialect().scanners()) {
      Token t = s.scan(src, p);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  private static Token symbol(Source src, int p) {
    for (String sym : src.dialect().symbols()) {
      if (src.text().startsWith(sym, p)) {
        return new Token(Kind.OP, sym, null, p);
      }
    }
    throw src.error(src.dialect().unexpectedCharacter() + " '" + src.text().charAt(p) + "'", p);
  }

  /**
   * The end of a word starting at {@code p}: the first index whose character is not {@code part}.
   */
  static int wordEnd(String s, int p, IntPredicate part) {
    while (p < s.length() && part.test(s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static Token string(Source src, int start) {
    String s = src.text();
    char quote = s.charAt(start);
    boolean raw = src.dialect().rawQuotes().indexOf(quote) >= 0;
    StringBuilder b = new StringBuilder();
    int p = start + 1;
    while (true) {
      if (p >= s.length()) {
        throw src.error(src.dialect().unterminatedString() + " starting", start);
      }
      char c = s.charAt(p);
      if (c == quote) {
        return new Token(Kind.STRING, s.substring(start, p + 1), b.toString(), start);
      }
      if (c == '\\' && !raw) {
        if (src.dialect().escapes() == Escapes.LITERAL) {
          if (p + 1 < s.length()) {
            b.append(s.charAt(p + 1));
            p += 2;
          } else {
            b.append(c); // a backslash at the very end: the string is unterminated anyway
            p++;
          }
          continue;
        }
        p = goEscape(src, p, start, b);
        continue;
      }
      b.append(c);
      p++;
    }
  }

  /** Appends the Go escape at {@code p} (a backslash) and returns the index after it. */
  private static int goEscape(Source src, int p, int start, StringBuilder b) {
    String s = src.text();
    if (p + 1 >= s.length()) {
      throw src.error(src.dialect().unterminatedString() + " starting", start);
    }
    char e = s.charAt(p + 1);
    switch (e) {
      case 'n' -> b.append('\n');
      case 't' -> b.append('\t');
      case 'r' -> b.append('\r');
      case 'b' -> b.append('\b');
      case 'f' -> b.append('\f');
      case 'v' -> b.append('\u000b');
      case 'a' -> b.append('\u0007');
      case '0' -> b.append('\0');
      case '\\', '"', '\'' -> b.append(e);
      case 'u', 'x' -> {
        int len = e == 'u' ? 4 : 2;
        int from = p + 2;
        if (from + len > s.length()) {
          throw src.error("invalid escape \\" + e, p);
        }
        try {
          b.append((char) Integer.parseInt(s.substring(from, from + len), 16));
        } catch (NumberFormatException ex) {
          throw src.error("invalid escape \\" + e + s.substring(from, from + len), p);
        }
        return from + len;
      }
      default -> throw src.error("invalid escape \\" + e, p);
    }
    return p + 2;
  }
}
