package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits an expr-lang expression into tokens; positions are kept for error messages. */
final class ExprLexer {
  enum Kind { NUMBER, STRING, IDENT, OP, EOF }

  record Token(Kind kind, String text, Object value, int pos) {
    boolean is(String op) {
      return (kind == Kind.OP || kind == Kind.IDENT) && text.equals(op);
    }
  }

  private static final String[] OPERATORS = {
    "?.", "??", "..", "**", "==", "!=", "<=", ">=", "&&", "||",
    "+", "-", "*", "/", "%", "^", "<", ">", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}", "#", "|"
  };

  private ExprLexer() {}

  static List<Token> lex(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    outer:
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))
          && (out.isEmpty() || !endsOperand(out.get(out.size() - 1))))) {
        i = number(s, i, out);
      } else if (Character.isLetter(c) || c == '_' || c == '$') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) j++;
        out.add(new Token(Kind.IDENT, s.substring(i, j), null, i));
        i = j;
      } else if (c == '"' || c == '\'' || c == '`') {
        i = string(s, i, out);
      } else {
        for (String op : OPERATORS) {
          if (s.startsWith(op, i)) {
            // "?." followed by a digit is a ternary "?" then a number like ".5".
            if (op.equals("?.") && i + 2 < s.length() && Character.isDigit(s.charAt(i + 2))) continue;
            out.add(new Token(Kind.OP, op, null, i));
            i += op.length();
            continue outer;
          }
        }
        throw new ExpressionException("unexpected character '" + c + "' at " + pos(i));
      }
    }
    out.add(new Token(Kind.EOF, "end of expression", null, s.length()));
    return out;
  }

  private static boolean endsOperand(Token t) {
    return t.kind != Kind.OP || t.text.equals(")") || t.text.equals("]") || t.text.equals("}");
  }

  static String pos(int i) {
    return "position " + (i + 1);
  }

  private static int number(String s, int i, List<Token> out) {
    int j = i;
    boolean isFloat = false;
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      j = i + 2;
      while (j < s.length() && (Character.digit(s.charAt(j), 16) >= 0 || s.charAt(j) == '_')) j++;
      out.add(new Token(Kind.NUMBER, s.substring(i, j), Long.parseLong(s.substring(i + 2, j).replace("_", ""), 16), i));
      return j;
    }
    while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
    // "1..3" is a range, not the float "1." followed by ".3".
    if (j < s.length() && s.charAt(j) == '.' && !(j + 1 < s.length() && s.charAt(j + 1) == '.')) {
      isFloat = true;
      j++;
      while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
    }
    if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) k++;
      if (k < s.length() && Character.isDigit(s.charAt(k))) {
        isFloat = true;
        j = k;
        while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
      }
    }
    String text = s.substring(i, j);
    String digits = text.replace("_", "");
    try {
      Object v = isFloat ? (Object) Double.parseDouble(digits) : (Object) Long.parseLong(digits);
      out.add(new Token(Kind.NUMBER, text, v, i));
    } catch (NumberFormatException e) {
      throw new ExpressionException("invalid number '" + text + "' at " + pos(i));
    }
    return j;
  }

  private static int string(String s, int i, List<Token> out) {
    char q = s.charAt(i);
    StringBuilder sb = new StringBuilder();
    int j = i + 1;
    while (j < s.length() && s.charAt(j) != q) {
      char c = s.charAt(j);
      if (c == '\\' && q != '`' && j + 1 < s.length()) {
        char e = s.charAt(++j);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case '0' -> sb.append('\0');
          case 'u' -> {
            if (j + 4 >= s.length()) {
              throw new ExpressionException("invalid escape '\\u' at " + pos(j - 1));
            }
            sb.append((char) Integer.parseInt(s.substring(j + 1, j + 5), 16));
            j += 4;
          }
          default -> sb.append(e);
        }
        j++;
      } else {
        sb.append(c);
        j++;
      }
    }
    if (j >= s.length()) {
      throw new ExpressionException("literal not terminated: string starting at " + pos(i));
    }
    out.add(new Token(Kind.STRING, s.substring(i, j + 1), sb.toString(), i));
    return j + 1;
  }
}
