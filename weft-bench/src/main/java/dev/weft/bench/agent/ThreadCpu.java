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

  private final Map<Long, Long> startUser = new HashMap<>();
  private final Map<Long, Long> startAllocated = new HashMap<>();

  /** Bytes this thread allocated so far: work done, whatever else shares the cores. */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean)
            java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /** KiB allocated per task by a group's threads since the snapshot. */
  double allocatedKiBPerTask(String group, int tasks) {
    var mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long bytes = 0;
    for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info == null || !group(info.getThreadName()).equals(group)) continue;
      long a = mx.getThreadAllocatedBytes(info.getThreadId());
      if (a >= 0) bytes += a - startAllocated.getOrDefault(info.getThreadId(), 0L);
    }
    return bytes / 1024.0 / tasks;
  }

  private final Map<String, long[]> startSwitches = switches();

  ThreadCpu() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (long id : mx.getAllThreadIds()) {
      start.put(id, Math.max(0, mx.getThreadCpuTime(id)));
      startUser.put(id, Math.max(0, mx.getThreadUserTime(id)));
      startAllocated.put(
          id, Math.max(0, ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(id)));
    }
  }

  /**
   * Voluntary and involuntary context switches by the kernel's thread name (the first 15 characters
   * of the Java name), from /proc: how often threads of a group gave up or lost their core.
   */
  static Map<String, long[]> switches() {
    Map<String, long[]> out = new HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) return out;
    for (java.io.File t : tasks) {
      try {
        String comm = java.nio.file.Files.readString(t.toPath().resolve("comm")).trim();
        String g = group(comm);
        long[] v = out.computeIfAbsent(g, k -> new long[2]);
        for (String line : java.nio.file.Files.readAllLines(t.toPath().resolve("status"))) {
          if (line.startsWith("voluntary_ctxt_switches:"))
            v[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          if (line.startsWith("nonvoluntary_ctxt_switches:"))
            v[1] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return out;
  }

  /** Context switches per task of one group since the snapshot: voluntary / involuntary. */
  String switchesPerTask(String group, int tasks) {
    long[] a = startSwitches.getOrDefault(group, new long[2]);
    long[] b = switches().getOrDefault(group, new long[2]);
    return String.format(
        Locale.ROOT,
        "%s context switches per task %.2f voluntary, %.2f involuntary",
        group,
        (b[0] - a[0]) / (double) tasks,
        (b[1] - a[1]) / (double) tasks);
  }

  /** User-mode share of a group's CPU since the snapshot. */
  double userShare(String group) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long all = 0;
    long user = 0;
    for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info == null || !group(info.getThreadName()).equals(group)) continue;
      long c = mx.getThreadCpuTime(info.getThreadId());
      long u = mx.getThreadUserTime(info.getThreadId());
      if (c < 0 || u < 0) continue;
      all += c - start.getOrDefault(info.getThreadId(), 0L);
      user += u - startUser.getOrDefault(info.getThreadId(), 0L);
    }
    return all == 0 ? 0 : user / (double) all;
  }

  static String group(String thread) {
    if (thread.startsWith("vert.x")) return "api-server";
    if (thread.startsWith("weft-agent-task")) return "agent:tasks";
    if (thread.startsWith("in-loop")) return "in-loop";
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
