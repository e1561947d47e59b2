package dev.weft.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What the parts of one workflow parse share: the YAML tree (for the line of every path) and the
 * warnings collected so far.
 */
final class ParseContext {
  final YamlTree tree;
  final List<String> warnings = new ArrayList<>();

  ParseContext(YamlTree tree) {
    this.tree = tree;
  }

  InvalidWorkflowException error(String path, String problem) {
    return new InvalidWorkflowException(path, tree.line(path), problem);
  }

  /** A warning about the field at {@code path}, with its line. */
  void warn(String path, String text) {
    warnings.add(path + " (line " + tree.line(path) + ") " + text);
  }
}
