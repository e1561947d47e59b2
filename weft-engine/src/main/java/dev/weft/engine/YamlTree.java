package dev.weft.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree, remembering the line of every field and list item (by
 * its path, e.g. {@code spec.templates[0].name}) so errors can point at it.
 */
final class YamlTree {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final JsonNode root;
  private final Map<String, Integer> lines;

  private YamlTree(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  /** The line of the field at {@code path}, or of its nearest located parent; 0 if unknown. */
  int line(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer l = lines.get(p);
      if (l != null) return l;
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) break;
      p = p.substring(0, cut);
    }
    return lines.getOrDefault(p, 0);
  }

  static YamlTree read(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new InvalidWorkflowException("(document)", 1, "the file is empty");
      JsonNode root = value(p, t, "", lines);
      JsonToken next = p.nextToken();
      if (next != null) {
        throw new InvalidWorkflowException(
            "(document)",
            p.currentLocation().getLineNr(),
            "the file holds more than one YAML document; weft run takes one Workflow or WorkflowTemplate per file");
      }
      return new YamlTree(root, lines);
    } catch (IOException e) {
      int line =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  && j.getLocation() != null
              ? j.getLocation().getLineNr()
              : 0;
      String msg =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException j
              ? j.getOriginalMessage()
              : e.getMessage();
      // SnakeYAML's message ends with the problem's mark ("in 'reader', line N, column M"): a
      // better line than the parser's
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("line (\\d+), column").matcher(msg == null ? "" : msg);
      while (m.find()) line = Integer.parseInt(m.group(1));
      throw new InvalidWorkflowException("(document)", line, "not valid YAML: " + oneLine(msg));
    }
  }

  /**
   * SnakeYAML's message on one line: its problem, then its context, without the quoted source and
   * carets.
   */
  static String oneLine(String msg) {
    if (msg == null) return "";
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (String l : msg.split("\n")) {
      if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) parts.add(l.strip());
    }
    java.util.Collections.reverse(parts);
    return parts.isEmpty() ? msg.strip() : String.join(", ", parts);
  }

  private static JsonNode value(JsonParser p, JsonToken t, String path, Map<String, Integer> lines)
      throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          ObjectNode o = NODES.objectNode();
          while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            String name = p.currentName();
            String child = path.isEmpty() ? name : path + "." + name;
            lines.put(child, p.currentTokenLocation().getLineNr());
            JsonNode v = value(p, p.nextToken(), child, lines);
            if (o.has(name))
              throw new InvalidWorkflowException(child, lines.get(child), "the key is given twice");
            o.set(name, v);
          }
          return o;
        }
      case START_ARRAY:
        {
          ArrayNode a = NODES.arrayNode();
          int i = 0;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String child = path + "[" + i++ + "]";
            lines.put(child, p.currentTokenLocation().getLineNr());
            a.add(value(p, t, child, lines));
          }
          return a;
        }
      case VALUE_STRING:
        if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
          // The streaming parser hands an alias (*a0) over as the text "a0", defined or not: refuse
          // rather than guess.
          throw new InvalidWorkflowException(
              path,
              p.currentTokenLocation().getLineNr(),
              "YAML aliases (*"
                  + p.getText()
                  + ") are not supported by weft run; write the value out");
        }
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new InvalidWorkflowException(
            path, p.currentTokenLocation().getLineNr(), "unexpected YAML token " + t);
    }
  }
}
