package dev.weft.bench.agent;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time by thread group since a snapshot: where the cost is, independent of how busy the machine
 * is.
 */
final class ThreadCpu {
  private final Map<Long, Long> start = new HashMap<>();

  ThreadCpu() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (long id : mx.getAllThreadIds()) start.put(id, Math.max(0, mx.getThreadCpuTime(id)));
  }

  static String group(String thread) {
    if (thread.startsWith("vert.x")) return "api-server";
    if (thread.startsWith("weft-agent-task")) return "agent:tasks";
    if (thread.startsWith("weft-agent-intake")) return "agent:intake";
    if (thread.startsWith("weft-agent-patch")) return "agent:patches";
    if (thread.startsWith("weft-agent")) return "agent:other";
    if (thread.startsWith("JdkHttpClientFactory") || thread.startsWith("HttpClient-"))
      return "http-clients";
    if (thread.startsWith("weft-task")
        || thread.startsWith("Jetty")
        || thread.startsWith("weft-warm")) return "weft-serve";
    if (thread.startsWith("weft-compiler")) return "compiler";
    return "bench";
  }

  /**
   * Milliseconds of CPU per group since this snapshot (threads that ended meanwhile are not
   * counted).
   */
  Map<String, Long> since() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.TreeMap<>();
    for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info == null) continue;
      long now = mx.getThreadCpuTime(info.getThreadId());
      if (now < 0) continue;
      long delta = now - start.getOrDefault(info.getThreadId(), 0L);
      out.merge(group(info.getThreadName()), delta / 1_000_000, Long::sum);
    }
    return out;
  }

  String perTask(int tasks) {
    StringBuilder b = new StringBuilder();
    Map<String, Long> groups = since();
    long agent =
        groups.entrySet().stream()
            .filter(e -> e.getKey().startsWith("agent:"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    if (agent > 0) groups.put("agent", agent);
    groups.forEach(
        (g, ms) -> b.append(String.format(Locale.ROOT, "%s %.2f ms, ", g, ms / (double) tasks)));
    return "CPU per task: " + b.substring(0, Math.max(0, b.length() - 2));
  }
}
