package dev.weft.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * An OCI runtime config for one task, made from the template {@code runc spec} writes: no terminal,
 * the task's args, the shared rootfs read-only, the artifact directory bind-mounted read-write at
 * {@code /data}, and a memory limit (the container's reservation).
 */
final class RuncBundle {
  static final String DATA = "/data";

  private RuncBundle() {}

  static ObjectNode config(
      JsonNode runcSpec, Path rootfs, List<String> args, Path hostData, long memoryLimitBytes) {
    if (!rootfs.isAbsolute() || !hostData.isAbsolute()) {
      throw new IllegalArgumentException(
          "rootfs and data paths must be absolute: " + rootfs + ", " + hostData);
    }
    if (args.isEmpty())
      throw new IllegalArgumentException("a container needs at least one arg (the program)");
    ObjectNode c = runcSpec.deepCopy();
    ObjectNode process = c.with("process");
    process.put("terminal", false);
    ArrayNode a = process.putArray("args");
    args.forEach(a::add);
    c.with("root").put("path", rootfs.toString()).put("readonly", true);
    ArrayNode mounts = c.withArray("mounts");
    for (int i = mounts.size() - 1; i >= 0; i--) {
      if (DATA.equals(mounts.get(i).path("destination").asText())) mounts.remove(i);
    }
    ObjectNode bind =
        mounts
            .addObject()
            .put("destination", DATA)
            .put("type", "bind")
            .put("source", hostData.toString());
    bind.putArray("options").add("rbind").add("rw");
    c.with("linux").with("resources").with("memory").put("limit", memoryLimitBytes);
    return c;
  }
}
