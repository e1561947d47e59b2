package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.engine.Model.Loop;
import dev.weft.engine.Model.Step;
import dev.weft.engine.Model.WithItems;
import dev.weft.engine.Model.WithParam;
import dev.weft.engine.Model.WithSequence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loop expansion: withItems, withParam, withSequence, and the {@code item} variables of each
 * iteration.
 */
final class Loops {
  /** Keys sorted, as Go marshals maps: item labels and {@code {{item}}} of a map are stable. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** A loop larger than this is refused rather than allowed to exhaust memory. */
  static final int MAX_ITEMS = 1_000_000;

  private Loops() {}

  /** A step after loop expansion: its node's name and display name and its loop variables. */
  record Expanded(Step step, String nodeName, String display, Map<String, String> itemVars) {}

  /** Expands a step's loop; a step without one expands to itself. */
  static List<Expanded> expand(Step s, String nodeName, String display, Map<String, String> vars) {
    if (s.loop().isEmpty()) return List.of(new Expanded(s, nodeName, display, Map.of()));
    List<JsonNode> items = items(s.loop().get(), vars);
    List<Expanded> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String label = nodeLabel(item).replace("(", "").replace(")", "");
      out.add(
          new Expanded(
              s,
              nodeName + "(" + i + ":" + label + ")",
              display + "(" + i + ":" + label + ")",
              vars(item)));
    }
    return out;
  }

  static List<JsonNode> items(Loop loop, Map<String, String> vars) {
    if (loop instanceof WithItems w) {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode n : w.items())
        out.add(n.isTextual() ? TextNode.valueOf(Exprs.render(n.asText(), vars, true)) : n);
      return out;
    }
    if (loop instanceof WithParam p) {
      String text = Exprs.render(p.json(), vars, true);
      JsonNode n;
      try {
        n = JSON.readTree(text);
      } catch (java.io.IOException e) {
        n = null;
      }
      if (n == null || !n.isArray())
        throw new StepError("withParam value could not be parsed as a JSON list: " + text.strip());
      if (n.size() > MAX_ITEMS)
        throw new StepError(
            "withParam has " + n.size() + " items, over weft run's limit of " + MAX_ITEMS);
      List<JsonNode> out = new ArrayList<>(n.size());
      n.forEach(out::add);
      return out;
    }
    WithSequence s = (WithSequence) loop;
    long start =
        s.start()
            .map(x -> StepError.wholeNumber(Exprs.render(x, vars, true), "withSequence.start"))
            .orElse(0L);
    long end;
    if (s.count().isPresent()) {
      long count =
          StepError.wholeNumber(Exprs.render(s.count().get(), vars, true), "withSequence.count");
      if (count < 0) throw new StepError("withSequence.count must not be negative, got " + count);
      if (count == 0) return List.of();
      if (count > MAX_ITEMS)
        throw new StepError(
            "withSequence.count is "
                + count
                + ", over weft run's limit of "
                + MAX_ITEMS
                + " items");
      end = start + count - 1;
      if (end < start)
        throw new StepError(
            "withSequence.start "
                + start
                + " plus withSequence.count "
                + count
                + " is past the largest integer");
    } else {
      end = StepError.wholeNumber(Exprs.render(s.end().get(), vars, true), "withSequence.end");
    }
    // Counted in floating point: end - start overflows a long for a sequence such as 0..2^63-1.
    double span = Math.abs((double) end - (double) start) + 1;
    if (span > MAX_ITEMS) {
      throw new StepError(
          "withSequence from "
              + start
              + " to "
              + end
              + " has "
              + String.format(java.util.Locale.ROOT, "%.0f", span)
              + " items, over weft run's limit of "
              + MAX_ITEMS);
    }
    long n = (long) span;
    String format = s.format().map(f -> Exprs.render(f, vars, true)).orElse(null);
    List<JsonNode> out = new ArrayList<>((int) n);
    long step = start <= end ? 1 : -1;
    for (long i = start; ; i += step) {
      out.add(
          format == null
              ? TextNode.valueOf(Long.toString(i))
              : TextNode.valueOf(goFormat(format, i)));
      if (i == end) break;
    }
    return out;
  }

  /** Go's printf for one integer: %d, %x, %X, %o with flags and width map onto Java's. */
  static String goFormat(String format, long i) {
    try {
      return String.format(java.util.Locale.ROOT, format, i);
    } catch (java.util.IllegalFormatException e) {
      throw new StepError(
          "withSequence.format '" + format + "' cannot format a number: " + e.getMessage());
    }
  }

  /** How an item appears in a node name: strings as they are, anything else as JSON. */
  static String label(JsonNode item) {
    if (item.isTextual()) return item.asText();
    if (item.isNumber() || item.isBoolean()) return item.asText();
    try {
      return JSON.writeValueAsString(JSON.treeToValue(item, Object.class));
    } catch (java.io.IOException e) {
      return item.toString();
    }
  }

  /**
   * How an item appears in a node name: a map as its sorted {@code key:value} pairs (Argo's
   * processItem).
   */
  static String nodeLabel(JsonNode item) {
    if (!item.isObject()) return label(item);
    List<String> pairs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      pairs.add(e.getKey() + ":" + label(e.getValue()));
    }
    java.util.Collections.sort(pairs);
    return String.join(",", pairs);
  }

  /** {@code item}, and {@code item.KEY} (recursively) for maps. */
  static Map<String, String> vars(JsonNode item) {
    Map<String, String> v = new HashMap<>();
    put(v, "item", item);
    return v;
  }

  private static void put(Map<String, String> v, String name, JsonNode n) {
    v.put(name, label(n));
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        put(v, name + "." + e.getKey(), e.getValue());
      }
    }
  }
}
