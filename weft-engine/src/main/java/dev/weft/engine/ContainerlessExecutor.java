package dev.weft.engine;

/**
 * container and script templates: weft run has no container engine, so they end in Error, saying
 * so.
 */
final class ContainerlessExecutor implements TemplateExecutor {
  @Override
  public LeafResult execute(LeafCall call) {
    String kind = call.template().kind().name().toLowerCase(java.util.Locale.ROOT);
    return LeafResult.error(
        "template '"
            + call.template().name()
            + "' is a "
            + kind
            + " template; weft run has no container engine (use plugin: wasm:)");
  }
}
