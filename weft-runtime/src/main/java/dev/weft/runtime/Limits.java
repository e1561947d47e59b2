package dev.weft.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-task resource limits. Every breach fails the task with a message naming the limit and its
 * value. Start from {@link #defaults()} and override with the {@code with*} methods.
 *
 * @param memoryBytes maximum linear memory (rounded down to whole 64 KiB pages)
 * @param timeout wall-clock deadline for instantiation plus run
 * @param maxResultJsonBytes maximum size of /work/result.json
 * @param maxOutputParameterBytes maximum size of one output parameter value
 * @param maxStdoutBytes stdout kept (the tail); more is counted and dropped
 * @param maxStderrBytes stderr kept (the tail); more is counted and dropped
 * @param maxSandboxBytes total size of the files in the in-memory sandbox (inputs included)
 */
public record Limits(
    long memoryBytes,
    Duration timeout,
    long maxResultJsonBytes,
    long maxOutputParameterBytes,
    long maxStdoutBytes,
    long maxStderrBytes,
    long maxSandboxBytes) {

  public static final long PAGE_SIZE = 65536;
  private static final long MAX_MEMORY = 65536L * PAGE_SIZE; // 4 GiB, the wasm32 ceiling

  public Limits {
    if (memoryBytes < PAGE_SIZE || memoryBytes > MAX_MEMORY) {
      throw new IllegalArgumentException(
          "limits.memory must be between 64KiB and 4GiB, got " + formatBytes(memoryBytes));
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("limits.timeout must be positive, got " + timeout);
    }
    positive("limits.maxResultJson", maxResultJsonBytes);
    positive("limits.maxOutputParameter", maxOutputParameterBytes);
    positive("limits.maxStdout", maxStdoutBytes);
    positive("limits.maxStderr", maxStderrBytes);
    positive("limits.maxSandbox", maxSandboxBytes);
  }

  /**
   * The limits for this JVM's heap with two tasks at a time ({@link #forHeap}): on a big heap 256
   * MiB memory, 60 s, result.json 1 MiB, output parameter 256 KiB, stdout/stderr 1 MiB each,
   * sandbox files 1 GiB; on a small one less memory and sandbox, so that what the tasks may hold
   * fits the heap.
   */
  public static Limits defaults() {
    return forHeap(Runtime.getRuntime().maxMemory(), 2);
  }

  /**
   * Limits that let {@code concurrentTasks} tasks fit in the {@link MemoryBudget} of a heap this
   * big: each task's share is a third linear memory, a third sandbox files, a third staged input
   * artifacts, each rounded down to a power of two and capped at 256 MiB (memory) and 1 GiB
   * (sandbox).
   */
  public static Limits forHeap(long heapBytes, int concurrentTasks) {
    if (concurrentTasks < 1)
      throw new IllegalArgumentException(
          "concurrentTasks must be at least 1, got " + concurrentTasks);
    long third = MemoryBudget.forHeap(heapBytes) / concurrentTasks / 3;
    long part = Math.max(1L << 20, Long.highestOneBit(Math.max(1, third)));
    return new Limits(
        Math.min(256L << 20, part),
        Duration.ofSeconds(60),
        1L << 20,
        256L << 10,
        1L << 20,
        1L << 20,
        Math.min(1L << 30, part));
  }

  /**
   * What one task may make the host hold: its linear memory, plus its sandbox files when they are
   * in memory.
   */
  public long hostBytes(SandboxStorage storage) {
    return memoryBytes + (storage == SandboxStorage.MEMORY ? maxSandboxBytes : 0);
  }

  public Limits withMemoryBytes(long bytes) {
    return new Limits(
        bytes,
        timeout,
        maxResultJsonBytes,
        maxOutputParameterBytes,
        maxStdoutBytes,
        maxStderrBytes,
        maxSandboxBytes);
  }

  public Limits withTimeout(Duration d) {
    return new Limits(
        memoryBytes,
        d,
        maxResultJsonBytes,
        maxOutputParameterBytes,
        maxStdoutBytes,
        maxStderrBytes,
        maxSandboxBytes);
  }

  public Limits withMaxResultJsonBytes(long bytes) {
    return new Limits(
        memoryBytes,
        timeout,
        bytes,
        maxOutputParameterBytes,
        maxStdoutBytes,
        maxStderrBytes,
        maxSandboxBytes);
  }

  public Limits withMaxOutputParameterBytes(long bytes) {
    return new Limits(
        memoryBytes,
        timeout,
        maxResultJsonBytes,
        bytes,
        maxStdoutBytes,
        maxStderrBytes,
        maxSandboxBytes);
  }

  public Limits withMaxStdoutBytes(long bytes) {
    return new Limits(
        memoryBytes,
        timeout,
        maxResultJsonBytes,
        maxOutputParameterBytes,
        bytes,
        maxStderrBytes,
        maxSandboxBytes);
  }

  public Limits withMaxStderrBytes(long bytes) {
    return new Limits(
        memoryBytes,
        timeout,
        maxResultJsonBytes,
        maxOutputParameterBytes,
        maxStdoutBytes,
        bytes,
        maxSandboxBytes);
  }

  public Limits withMaxSandboxBytes(long bytes) {
    return new Limits(
        memoryBytes,
        timeout,
        maxResultJsonBytes,
        maxOutputParameterBytes,
        maxStdoutBytes,
        maxStderrBytes,
        bytes);
  }

  /** The memory limit in whole pages. */
  public int memoryPages() {
    return (int) (memoryBytes / PAGE_SIZE);
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

  /**
   * Parses a size such as {@code 64MiB}, {@code 64Mi} (Kubernetes), {@code 512KiB}, {@code 1G} or a
   * plain byte count. Binary suffixes (Ki, Mi, Gi, with or without B) are powers of 1024; decimal
   * ones (K, M, G, KB, MB, GB) powers of 1000, as in Kubernetes quantities. A lone lower-case
   * {@code m} is refused: Kubernetes reads it as milli.
   *
   * @param field named in the error message, e.g. {@code --memory}
   */
  public static long parseBytes(String field, String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(field + ": not a size: '" + text + "' (try 64MiB)");
    }
    double n = Double.parseDouble(m.group(1));
    if (m.group(2).equals("m")) { // Kubernetes reads "64m" as 0.064: refuse rather than guess
      throw new IllegalArgumentException(
          field
              + ": '"
              + text
              + "' is ambiguous ('m' means milli in Kubernetes); write Mi or MiB (or M for 10^6)");
    }
    long unit =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "", "b" -> 1L;
          case "ki", "kib" -> 1L << 10;
          case "mi", "mib" -> 1L << 20;
          case "gi", "gib" -> 1L << 30;
          case "k", "kb" -> 1_000L;
          case "m", "mb" -> 1_000_000L;
          case "g", "gb" -> 1_000_000_000L;
          default ->
              throw new IllegalArgumentException(
                  field
                      + ": unknown size unit '"
                      + m.group(2)
                      + "' in '"
                      + text
                      + "' (use B, KiB, MiB, GiB)");
        };
    return (long) (n * unit);
  }

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  /**
   * Parses a duration in Go's syntax ({@code 5s}, {@code 1m30s}, {@code 250ms}) or a plain number
   * of seconds.
   *
   * @param field named in the error message, e.g. {@code --timeout}
   */
  public static Duration parseDuration(String field, String text) {
    String s = text == null ? "" : text.trim();
    if (s.matches("\\d+(\\.\\d+)?")) {
      return Duration.ofNanos((long) (Double.parseDouble(s) * 1e9));
    }
    Matcher m = DURATION_PART.matcher(s);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      double unit =
          switch (m.group(2)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
          };
      nanos += (long) (n * unit);
      end = m.end();
    }
    if (s.isEmpty() || end != s.length()) {
      throw new IllegalArgumentException(
          field + ": not a duration: '" + text + "' (try 30s, 1m30s or 500ms)");
    }
    return Duration.ofNanos(nanos);
  }

  /** Renders a byte count the way limits are written: 64MiB, 1KiB, 100B. */
  public static String formatBytes(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + "GiB";
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) return (bytes >> 20) + "MiB";
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) return (bytes >> 10) + "KiB";
    if (bytes >= 1L << 20)
      return String.format(Locale.ROOT, "%.1fMiB", bytes / (double) (1L << 20));
    return bytes + "B";
  }

  /** Renders a duration compactly: 5s, 250ms, 1m30s. */
  public static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) return ms + "ms";
    long s = ms / 1000;
    if (s >= 60 && s % 60 == 0) return (s / 60) + "m";
    if (s > 60) return (s / 60) + "m" + (s % 60) + "s";
    return s + "s";
  }
}
