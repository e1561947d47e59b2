package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The runtime is the core: nothing of Argo, Kubernetes, S3 or the CLI may leak into it. */
class ArchitectureTest {
  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "^import\\s+(static\\s+)?(io\\.argoproj|io\\.fabric8|io\\.kubernetes|software\\.amazon|picocli|com\\.fasterxml\\.jackson\\.databind|dev\\.weft\\.(cli|argo|engine|oci|artifacts))\\b");

  @Test
  void runtimeSourcesImportNoFrontEndOrInfrastructureTypes() throws IOException {
    Path src = Path.of("src/main/java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(src)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .flatMap(
                  p -> {
                    try {
                      return Files.readAllLines(p).stream()
                          .filter(l -> FORBIDDEN.matcher(l.trim()).find())
                          .map(l -> src.relativize(p) + ": " + l.trim());
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void theCheckWouldCatchAnOffender() {
    assertThat(FORBIDDEN.matcher("import io.fabric8.kubernetes.client.KubernetesClient;").find())
        .isTrue();
    assertThat(FORBIDDEN.matcher("import com.fasterxml.jackson.core.JsonParser;").find()).isFalse();
  }
}
