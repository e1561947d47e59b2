package dev.weft.runtime.internal.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * JSON values as plain Java objects (Map, List, String, Number, Boolean, null), written with
 * Jackson's streaming core ({@link JsonReader} reads them). The runtime avoids databind: its
 * start-up cost (hundreds of classes) would dominate a one-shot {@code weft exec}.
 */
public final class Json {
  static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /** Writes a JSON-compatible Java value; anything else is written as its string form. */
  static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof java.math.BigInteger bi) {
      g.writeNumber(bi);
    } else if (v instanceof java.math.BigDecimal bd) {
      g.writeNumber(bd);
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> it) {
      g.writeStartArray();
      for (Object o : it) write(g, o);
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }

  /** The value as JSON text. */
  static String text(Object v) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      write(g, v);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }
}
