package dev.weft.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvAndBundleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void csvHasOneRowPerPointInTheHeadersOrder(@TempDir Path dir) throws Exception {
    Point p =
        new Point(
            "image", "runc", 4, 10, 1, 2.0, 1.5, 2.5, 3.5, 4, 5, 6, 0.25, 1048576, 8388608, 9000000,
            0.125, 0.5);
    Path f = dir.resolve("c.csv");
    Csv.write(f, List.of(p, p));
    List<String> lines = Files.readAllLines(f);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .startsWith(
            "workload,arm,parallel,tasks_ok,tasks_failed,seconds,tasks_per_min,to_code_p50_ms");
    assertThat(lines.get(1))
        .isEqualTo(
            "image,runc,4,10,1,2.000,300.0,1.5000,2.5000,3.5000,4.0000,5.0000,6.0000,0.2500,1048576,8388608,9000000,0.12500,0.50000");
    assertThat(lines.get(1).split(",")).hasSameSizeAs(lines.get(0).split(","));
    assertThat(Csv.read(f)).containsExactly(p, p);
    Files.writeString(f, "a,b\n");
    assertThatThrownBy(() -> Csv.read(f)).hasMessageContaining("not a compare CSV");
  }

  /** The parts of `runc spec`'s template (runc 1.1) that the bundle edits. */
  private static final String SPEC =
      """
      {"ociVersion":"1.0.2-dev","process":{"terminal":true,"user":{"uid":0,"gid":0},"args":["sh"],"cwd":"/"},
       "root":{"path":"rootfs","readonly":true},"hostname":"runc",
       "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
                 {"destination":"/data","type":"bind","source":"/old","options":["ro"]}],
       "linux":{"namespaces":[{"type":"pid"},{"type":"network"}]}}
      """;

  @Test
  void bundleConfigRunsTheTaskWithoutTerminalOnAReadOnlyRootAndABindMount() throws Exception {
    JsonNode spec = JSON.readTree(SPEC);
    ObjectNode c =
        RuncBundle.config(
            spec,
            Path.of("/b/rootfs"),
            List.of("/bin/image", "/data/in.ppm", "/data/out-3.pgm"),
            Path.of("/host/data"),
            64L << 20);
    assertThat(c.at("/process/terminal").asBoolean()).isFalse();
    assertThat(c.at("/process/args").toString())
        .isEqualTo("[\"/bin/image\",\"/data/in.ppm\",\"/data/out-3.pgm\"]");
    assertThat(c.at("/root/path").asText()).isEqualTo("/b/rootfs");
    assertThat(c.at("/root/readonly").asBoolean()).isTrue();
    assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(64L << 20);
    assertThat(c.at("/linux/namespaces").size())
        .as("the template's namespaces are kept")
        .isEqualTo(2);
    // the template's own /data mount is replaced, /proc kept
    assertThat(c.at("/mounts").size()).isEqualTo(2);
    assertThat(c.at("/mounts/0/destination").asText()).isEqualTo("/proc");
    assertThat(c.at("/mounts/1").toString())
        .isEqualTo(
            "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/host/data\",\"options\":[\"rbind\",\"rw\"]}");
    assertThat(spec.at("/process/terminal").asBoolean()).as("template not modified").isTrue();
  }

  @Test
  void bundleRefusesRelativePathsAndNoArgs() throws Exception {
    JsonNode spec = JSON.readTree(SPEC);
    assertThatThrownBy(
            () ->
                RuncBundle.config(spec, Path.of("rootfs"), List.of("/bin/hello"), Path.of("/d"), 1))
        .hasMessageContaining("absolute")
        .hasMessageContaining("rootfs");
    assertThatThrownBy(() -> RuncBundle.config(spec, Path.of("/r"), List.of(), Path.of("/d"), 1))
        .hasMessageContaining("at least one arg");
  }

  @Test
  void parsesProcStatusLines() {
    assertThat(MemorySampler.parseKb("VmRSS:\t    1234 kB")).isEqualTo(1234);
    assertThat(MemorySampler.rssBytes(ProcessHandle.current().pid())).isGreaterThan(1 << 20);
    assertThat(MemorySampler.rssBytes(Long.MAX_VALUE))
        .as("a process that does not exist holds nothing")
        .isZero();
  }
}
