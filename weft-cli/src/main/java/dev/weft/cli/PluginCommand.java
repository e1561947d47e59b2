package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft plugin manifest}: the ConfigMap that installs weft as Argo's {@code wasm} executor
 * plugin.
 */
@Command(
    name = "plugin",
    mixinStandardHelpOptions = true,
    description = "Argo executor plugin packaging.",
    subcommands = {PluginCommand.Manifest.class})
final class PluginCommand {

  @Command(
      name = "manifest",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the ConfigMap that `argo executor-plugin build` makes from argo-plugin/plugin.yaml;",
        "apply it in the workflow controller's namespace (docs/argo.md)."
      })
  static final class Manifest implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--plugin",
        paramLabel = "FILE",
        description = "An ExecutorPlugin manifest (default: weft's own argo-plugin/plugin.yaml).")
    Path plugin;

    @Option(
        names = "--image",
        paramLabel = "IMAGE",
        description = "Use this container image instead of the manifest's.")
    String image;

    @Override
    public Integer call() throws IOException {
      JsonNode manifest;
      if (plugin != null) {
        manifest = YAML.readTree(Files.readString(plugin));
      } else {
        try (InputStream in = PluginCommand.class.getResourceAsStream("/argo-plugin/plugin.yaml")) {
          if (in == null)
            throw new IllegalStateException(
                "the bundled argo-plugin/plugin.yaml is missing from the jar");
          manifest = YAML.readTree(in);
        }
      }
      spec.commandLine().getOut().print(configMap(manifest, image));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                  .enable(
                      YAMLGenerator.Feature
                          .ALWAYS_QUOTE_NUMBERS_AS_STRINGS) // "3000" must stay a string arg
                  .build())
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /**
   * What `argo executor-plugin build` does: the sidecar's fields become YAML strings under data.
   */
  static String configMap(JsonNode manifest, String image) throws IOException {
    if (!"ExecutorPlugin".equals(manifest.path("kind").asText())) {
      throw new IllegalArgumentException(
          "kind must be ExecutorPlugin, found '" + manifest.path("kind").asText() + "'");
    }
    String name = manifest.path("metadata").path("name").asText();
    if (name.isEmpty()) throw new IllegalArgumentException("metadata.name is required");
    JsonNode sidecar = manifest.path("spec").path("sidecar");
    JsonNode container = sidecar.path("container");
    if (!container.isObject())
      throw new IllegalArgumentException("spec.sidecar.container is required");
    if (image != null) ((ObjectNode) container).put("image", image);
    Map<String, Object> data = new java.util.TreeMap<>();
    data.put(
        "sidecar.automountServiceAccountToken",
        String.valueOf(sidecar.path("automountServiceAccountToken").asBoolean(false)));
    data.put("sidecar.container", YAML.writeValueAsString(YAML.convertValue(container, Map.class)));
    Map<String, Object> metadata = new java.util.TreeMap<>();
    if (manifest.path("metadata").has("annotations"))
      metadata.put(
          "annotations",
          YAML.convertValue(manifest.path("metadata").get("annotations"), Map.class));
    metadata.put("creationTimestamp", null);
    metadata.put("labels", Map.of("workflows.argoproj.io/configmap-type", "ExecutorPlugin"));
    metadata.put("name", name + "-executor-plugin");
    Map<String, Object> cm = new java.util.TreeMap<>();
    cm.put("apiVersion", "v1");
    cm.put("data", data);
    cm.put("kind", "ConfigMap");
    cm.put("metadata", metadata);
    return "# This is an auto-generated file. DO NOT EDIT\n" + YAML.writeValueAsString(cm);
  }
}
