package dev.weft.runtime.internal.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference the result.json reader is checked against: Jackson's streaming parser, set up as
 * weft used it before (nesting limited to 200), reading values of the same types.
 */
final class JacksonReference {
  private JacksonReference() {}

  static final Object NULL = new Object();

  /** Jackson's streaming parser as weft used it: the value, NULL for null, empty if refused. */
  static Optional<Object> jackson(String doc) {
    return jacksonBytes(doc.getBytes(StandardCharsets.UTF_8));
  }

  static Optional<Object> jacksonBytes(byte[] doc) {
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();
    try (JsonParser p = f.createParser(doc)) {
      JsonToken t = p.nextToken();
      if (t == null) return Optional.empty();
      Object v = value(p, t);
      if (p.nextToken() != null) return Optional.empty();
      return Optional.of(v == null ? NULL : v);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
            String name = p.currentName();
            m.put(name, value(p, p.nextToken()));
          }
          return m;
        }
      case START_ARRAY:
        {
          List<Object> l = new ArrayList<>();
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken())
            l.add(value(p, e));
          return l;
        }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IllegalStateException("unexpected token " + t);
    }
  }

  /** weft's reader in the same terms: the value, NULL for null, empty if refused. */
  static Optional<Object> ours(byte[] doc) {
    try {
      Object v = JsonReader.read(doc);
      return Optional.of(v == null ? NULL : v);
    } catch (JsonReader.SyntaxException e) {
      return Optional.empty();
    }
  }
}
