package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Reading Argo's JSON with errors that name the field. */
final class Json {
  private Json() {}

  /** A string, or a number or boolean written where Argo expects a string. */
  static String scalar(JsonNode n, String field) {
    if (n == null || n.isNull() || n.isMissingNode()) throw new SpecException(field, "is required");
    if (n.isTextual()) return n.asText();
    if (n.isNumber() || n.isBoolean()) return n.asText();
    throw new SpecException(field, "must be a string, found " + kind(n));
  }

  static String kind(JsonNode n) {
    return n == null ? "nothing" : n.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
