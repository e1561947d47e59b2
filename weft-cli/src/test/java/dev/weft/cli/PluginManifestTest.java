package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The generated ConfigMap is the committed one, so argo-plugin/ cannot drift from the jar. */
class PluginManifestTest {
  private static String manifest(String... extra) {
    StringWriter out = new StringWriter();
    String[] args = new String[2 + extra.length];
    args[0] = "plugin";
    args[1] = "manifest";
    System.arraycopy(extra, 0, args, 2, extra.length);
    int status =
        Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
    assertThat(status).isZero();
    return out.toString();
  }

  /** A ConfigMap as a tree, with the embedded container YAML parsed too. */
  private static JsonNode tree(String yaml) throws Exception {
    JsonNode t = PluginCommand.YAML.readTree(yaml);
    ObjectNode data = (ObjectNode) t.get("data");
    data.set(
        "sidecar.container", PluginCommand.YAML.readTree(data.get("sidecar.container").asText()));
    return t;
  }

  @Test
  void generatedConfigMapEqualsTheCommittedOne() throws Exception {
    String committed =
        Files.readString(Path.of("../argo-plugin/wasm-executor-plugin-configmap.yaml"));
    String generated = manifest();

    assertThat(generated).startsWith("# This is an auto-generated file. DO NOT EDIT\n");
    assertThat(tree(generated)).isEqualTo(tree(committed));
  }

  @Test
  void configMapHasWhatArgosControllerLooksFor() throws Exception {
    JsonNode cm = tree(manifest());

    assertThat(cm.at("/metadata/name").asText()).isEqualTo("wasm-executor-plugin");
    assertThat(cm.at("/metadata/labels").get("workflows.argoproj.io/configmap-type").asText())
        .isEqualTo("ExecutorPlugin");
    JsonNode c = cm.get("data").get("sidecar.container");
    assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(3000);
    assertThat(c.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();
    assertThat(c.at("/args/0").asText()).isEqualTo("serve");
  }

  @Test
  void imageCanBeReplaced() throws Exception {
    JsonNode c =
        tree(manifest("--image", "registry.local/weft:dev")).get("data").get("sidecar.container");

    assertThat(c.get("image").asText()).isEqualTo("registry.local/weft:dev");
  }
}
