package dev.weft.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Integrates the resident memory of an arm's processes over time: every {@code periodMillis} it
 * sums VmRSS of the root processes and all their descendants (via {@code
 * /proc/<pid>/task/<pid>/children}, so no scan of every process on the machine) and adds {@code rss
 * × dt}. A sample also adds {@code max(rss, limit × inFlight) × dt} to the limit-based total: under
 * the billing view a system holds at least the limits of the tasks it is running.
 */
public final class MemorySampler implements AutoCloseable {
  private final Supplier<Collection<Long>> roots;
  private final IntSupplier inFlight;
  private final long limitBytes;
  private final long periodMillis;
  private final Thread thread;
  private volatile boolean stop;
  private double heldRss; // byte·ns
  private double heldByLimit; // byte·ns
  private long maxRss;
  private long samples;

  public MemorySampler(
      Supplier<Collection<Long>> roots, IntSupplier inFlight, long limitBytes, long periodMillis) {
    this.roots = roots;
    this.inFlight = inFlight;
    this.limitBytes = limitBytes;
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::loop, "memory-sampler");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  public MemorySampler start() {
    thread.start();
    return this;
  }

  private void loop() {
    long last = System.nanoTime();
    while (!stop) {
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
      long rss = rssOfTrees(roots.get());
      long now = System.nanoTime();
      long dt = now - last;
      last = now;
      synchronized (this) {
        heldRss += (double) rss * dt;
        heldByLimit += Math.max((double) rss, (double) limitBytes * inFlight.getAsInt()) * dt;
        maxRss = Math.max(maxRss, rss);
        samples++;
      }
    }
  }

  public synchronized double heldRss() {
    return heldRss;
  }

  public synchronized double heldByLimit() {
    return heldByLimit;
  }

  public synchronized long maxRss() {
    return maxRss;
  }

  public synchronized long samples() {
    return samples;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join(1000);
  }

  /** Σ VmRSS over the processes and their descendants; processes that are gone count 0. */
  static long rssOfTrees(Collection<Long> rootPids) {
    long sum = 0;
    Set<Long> seen = new HashSet<>();
    ArrayDeque<Long> todo = new ArrayDeque<>(rootPids);
    while (!todo.isEmpty()
        && seen.size() < 10_000) { // bound: a runaway tree cannot stall the sampler
      long pid = todo.pop();
      if (!seen.add(pid)) continue;
      sum += rssBytes(pid);
      try {
        for (String c :
            Files.readString(
                    Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children"))
                .trim()
                .split("\\s+")) {
          if (!c.isEmpty()) todo.push(Long.parseLong(c));
        }
      } catch (IOException | RuntimeException e) {
        // exited meanwhile: no children to add
      }
    }
    return sum;
  }

  /** VmRSS of one process in bytes, 0 if it has exited (or is a zombie, which has none). */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) return parseKb(line) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** "VmRSS: 1234 kB" → 1234. */
  static long parseKb(String statusLine) {
    String v = statusLine.substring(statusLine.indexOf(':') + 1).trim();
    int sp = v.indexOf(' ');
    return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
  }
}
