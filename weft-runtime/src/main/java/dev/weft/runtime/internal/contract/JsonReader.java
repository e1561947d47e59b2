package dev.weft.runtime.internal.contract;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for the files a module writes (result.json), giving the values
 * Jackson's streaming parser gave: objects as {@link LinkedHashMap} (a repeated name keeps its last
 * value), arrays as {@link ArrayList}, strings, {@link Integer}/{@link Long}/{@link BigInteger} for
 * integers (the smallest that holds the value), {@link Double} for numbers with a fraction or an
 * exponent, {@link Boolean} and null.
 *
 * <p>Why not Jackson: every Jackson parser initialises {@code java.math.BigDecimal}, whose static
 * initialiser on JDK 25 computes 5^65536 by repeated squaring, 50–90 ms of a cold JVM's time and
 * the largest single step of a one-shot {@code weft exec} (docs/benchmarks.md §4.2).
 */
final class JsonReader {
  /** As deep as the parser this replaced allowed (Jackson's maxNestingDepth, set to 200). */
  static final int MAX_DEPTH = 200;

  /** Longest number accepted, in characters (Jackson's default maxNumberLength). */
  static final int MAX_NUMBER_LENGTH = 1000;

  /** Malformed JSON: where (1-based line and column, in characters) and what. */
  static final class SyntaxException extends Exception {
    final int line;
    final int column;
    final String problem;

    SyntaxException(int line, int column, String problem) {
      super("at line " + line + ", column " + column + ": " + problem, null, false, false);
      this.line = line;
      this.column = column;
      this.problem = problem;
    }
  }

  private final String text;
  private int pos;
  private int depth;

  private JsonReader(String text) {
    this.text = text;
  }

  /** The one JSON value in {@code bytes} (UTF-8, an optional byte order mark first). */
  static Object read(byte[] bytes) throws SyntaxException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SyntaxException(1, 1, "not valid UTF-8 text");
    }
    JsonReader r = new JsonReader(text);
    if (text.startsWith("\uFEFF")) r.pos = 1;
    r.skipWhitespace();
    if (r.pos == text.length()) throw r.error("empty document");
    Object v = r.value();
    r.skipWhitespace();
    if (r.pos != text.length()) throw r.error("trailing content after the JSON value");
    return v;
  }

  private Object value() throws SyntaxException {
    if (pos == text.length()) throw error("unexpected end of input, expected a value");
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected character " + describe(c) + ", expected a value");
    }
  }

  private Map<String, Object> object() throws SyntaxException {
    enter();
    pos++; // '{'
    Map<String, Object> m = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return m;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') throw error("expected a field name (a string) " + found());
      String name = string();
      skipWhitespace();
      if (peek() != ':') throw error("expected ':' after a field name " + found());
      pos++;
      skipWhitespace();
      m.put(name, value());
      skipWhitespace();
      int c = peek();
      pos++;
      if (c == '}') break;
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}' in an object " + found());
      }
    }
    depth--;
    return m;
  }

  private List<Object> array() throws SyntaxException {
    enter();
    pos++; // '['
    List<Object> l = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return l;
    }
    while (true) {
      skipWhitespace();
      l.add(value());
      skipWhitespace();
      int c = peek();
      pos++;
      if (c == ']') break;
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']' in an array " + found());
      }
    }
    depth--;
    return l;
  }

  private void enter() throws SyntaxException {
    if (++depth > MAX_DEPTH)
      throw error("nesting deeper than " + MAX_DEPTH + " arrays and objects");
  }

  private String string() throws SyntaxException {
    int start = ++pos; // after '"'
    StringBuilder b = null;
    while (true) {
      if (pos == text.length()) throw error("unexpected end of input in a string");
      char c = text.charAt(pos);
      if (c == '"') {
        String s = b == null ? text.substring(start, pos) : b.append(text, start, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) throw error("unescaped control character " + describe(c) + " in a string");
      if (c != '\\') {
        pos++;
        continue;
      }
      if (b == null) b = new StringBuilder();
      b.append(text, start, pos);
      pos++;
      if (pos == text.length()) throw error("unexpected end of input in a string");
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) throw error("unexpected end of input in a \\u escape");
          int v = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos), 16);
            if (d < 0) throw error("expected a hex digit in a \\u escape " + found());
            v = v * 16 + d;
            pos++;
          }
          b.append((char) v);
        }
        default -> {
          pos--;
          throw error("unrecognised escape \\" + describe(e) + " in a string");
        }
      }
      start = pos;
    }
  }

  private Number number() throws SyntaxException {
    int start = pos;
    boolean integral = true;
    if (peek() == '-') pos++;
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) throw error("leading zeros are not allowed in a number");
    } else if (isDigit(peek())) {
      while (isDigit(peek())) pos++;
    } else {
      throw error("expected a digit " + found());
    }
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) throw error("expected a digit after the decimal point " + found());
      while (isDigit(peek())) pos++;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') pos++;
      if (!isDigit(peek())) throw error("expected a digit in the exponent " + found());
      while (isDigit(peek())) pos++;
    }
    if (pos - start > MAX_NUMBER_LENGTH)
      throw error("a number longer than " + MAX_NUMBER_LENGTH + " characters");
    String s = text.substring(start, pos);
    if (!integral) return Double.parseDouble(s);
    int digits = s.length() - (s.charAt(0) == '-' ? 1 : 0);
    if (digits <= 9) return Integer.parseInt(s);
    if (digits <= 18) {
      long l = Long.parseLong(s);
      return l == (int) l ? (Number) (int) l : (Number) l;
    }
    BigInteger big = new BigInteger(s);
    if (big.bitLength() <= 31) return big.intValue();
    return big.bitLength() <= 63 ? (Number) big.longValue() : big;
  }

  private Object literal(String word, Object value) throws SyntaxException {
    if (!text.startsWith(word, pos)) throw error("unrecognised token, expected a value");
    pos += word.length();
    return value;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The character at the position, or -1 at the end. */
  private int peek() {
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      pos++;
    }
  }

  private String found() {
    return pos < text.length() ? "(found " + describe(text.charAt(pos)) + ")" : "(found the end)";
  }

  private static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  private SyntaxException error(String problem) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(pos, text.length());
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return new SyntaxException(line, end - lineStart + 1, problem);
  }
}
