package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results into TaskSets' {@code status.nodes}, one merge patch of the status subresource per
 * TaskSet at a time, with the results that arrived meanwhile batched in (a result waits at most the
 * patch delay, ≤ 100 ms, plus the patch before it).
 *
 * <p>Each patch carries the {@code metadata.resourceVersion} of the view it was checked against, so
 * the API server refuses it (409) if the TaskSet changed since: a result is written only if its
 * node is still in {@code spec.tasks} and has no final result, so a node never gets two. On 409 the
 * TaskSet is read again and checked again. 429, 5xx and lost connections are retried with
 * exponential backoff and jitter until the TaskSet is gone or the replica stops; every failure is
 * logged naming the workflow and the nodes.
 */
final class StatusPatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPatcher.class);
  private static final long BACKOFF_BASE_MS = 50;
  private static final long BACKOFF_CAP_MS = 5_000;

  /** The two API calls the patcher makes. */
  interface Api {
    record Response(int code, byte[] body) {}

    Response get(TaskSet.Ref ref) throws IOException, InterruptedException;

    Response patchStatus(TaskSet.Ref ref, byte[] mergePatch)
        throws IOException, InterruptedException;
  }

  /** What happened to a result. */
  interface Outcome {
    /**
     * Written; or, with {@code dropped} set, not written because the node was final already or left
     * the TaskSet.
     */
    void settled(Result r, Optional<String> dropped);
  }

  /** One node's result for a TaskSet; {@code node} is Argo's NodeResult JSON. */
  record Result(TaskSet.Ref taskSet, String uid, String nodeId, ObjectNode node, long seenNanos) {
    boolean isFinal() {
      return TaskSet.FINAL_PHASES.contains(node.path("phase").asText());
    }

    String phase() {
      return node.path("phase").asText();
    }
  }

  private static final class Batch {
    final Map<String, Result> pending = new LinkedHashMap<>();
    boolean scheduled;
    int failures;
  }

  private final Api api;
  private final long delayMs;
  private final AgentMetrics metrics;
  private final Outcome outcome;
  private final ScheduledExecutorService pool;
  private final Map<TaskSet.Ref, Batch> batches = new ConcurrentHashMap<>();
  private final Map<TaskSet.Ref, TaskSet> views = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopped;

  StatusPatcher(Api api, long delayMs, int threads, AgentMetrics metrics, Outcome outcome) {
    this.api = api;
    this.delayMs = delayMs;
    this.metrics = metrics;
    this.outcome = outcome;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "weft-agent-patch-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues a result; a final result replaces a Running one of the same node, never the reverse. */
  void offer(Result r) {
    if (stopped) return;
    Batch b = batches.computeIfAbsent(r.taskSet(), k -> new Batch());
    synchronized (b) {
      Result old = b.pending.get(r.nodeId());
      if (old != null && old.isFinal() && !r.isFinal()) return;
      b.pending.put(r.nodeId(), r);
      if (!b.scheduled) {
        b.scheduled = true;
        schedule(r.taskSet(), b, delayMs);
      }
    }
  }

  /**
   * The newest view of a TaskSet the agent has: from the informer, or the answer to our own patch.
   */
  void observed(TaskSet ts) {
    views.merge(ts.ref(), ts, StatusPatcher::newer);
  }

  /** Drops everything pending for a TaskSet (deleted, or its workflow completed). */
  void forget(TaskSet.Ref ref) {
    batches.remove(ref);
    views.remove(ref);
  }

  int pending() {
    return batches.values().stream()
            .mapToInt(
                b -> {
                  synchronized (b) {
                    return b.pending.size();
                  }
                })
            .sum()
        + inFlight.get();
  }

  private static TaskSet newer(TaskSet a, TaskSet b) {
    var va = TaskSet.version(a.resourceVersion());
    var vb = TaskSet.version(b.resourceVersion());
    if (va.isPresent() && vb.isPresent()) return vb.get() >= va.get() ? b : a;
    return b;
  }

  private void schedule(TaskSet.Ref ref, Batch b, long delay) {
    try {
      pool.schedule(() -> flush(ref, b), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      b.scheduled = false; // stopping
    }
  }

  private void flush(TaskSet.Ref ref, Batch b) {
    List<Result> take;
    synchronized (b) {
      take = new ArrayList<>(b.pending.values());
      b.pending.clear();
      if (take.isEmpty()) {
        b.scheduled = false;
        return;
      }
      inFlight.addAndGet(take.size());
    }
    long retryIn = -1;
    try {
      retryIn = write(ref, take);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      inFlight.addAndGet(-take.size());
    }
    synchronized (b) {
      if (batches.get(ref) != b || stopped && retryIn >= 0) {
        b.scheduled = false;
        return;
      }
      if (retryIn >= 0) {
        for (Result r : take) { // newer results of the same node win
          Result now = b.pending.get(r.nodeId());
          if (now == null || !now.isFinal() && r.isFinal()) b.pending.put(r.nodeId(), r);
        }
        b.failures++;
        schedule(ref, b, retryIn);
      } else if (!b.pending.isEmpty()) {
        b.failures = 0;
        schedule(ref, b, 0);
      } else {
        b.failures = 0;
        b.scheduled = false;
        if (b.pending.isEmpty()) batches.remove(ref, b);
      }
    }
  }

  /**
   * Writes the results; returns -1 when settled (written, dropped or given up), else the delay
   * before a retry.
   */
  private long write(TaskSet.Ref ref, List<Result> results) throws InterruptedException {
    Batch b = batches.get(ref);
    int failures = b == null ? 0 : b.failures;
    TaskSet view = views.get(ref);
    boolean errorsInstead = false;
    for (int conflicts = 0; ; ) {
      try {
        if (view == null) {
          Api.Response r = api.get(ref);
          if (r.code() == 404) return gone(ref, results);
          if (r.code() / 100 != 2) return failed(ref, results, "read", r, failures);
          view = TaskSet.fromJson(r.body());
          observed(view);
        }
        List<Result> writable = new ArrayList<>();
        for (Result r : results) {
          if (!view.taskIds().contains(r.nodeId())) settle(r, "gone");
          else if (view.finished(r.nodeId())) settle(r, "finished");
          else writable.add(r);
        }
        if (writable.isEmpty()) return -1;
        results = writable;
        Api.Response r = api.patchStatus(ref, body(view.resourceVersion(), results));
        if (r.code() / 100 == 2) {
          metrics.patched();
          observed(TaskSet.fromJson(r.body()));
          for (Result x : results) settle(x, null);
          return -1;
        }
        if (r.code() == 409) {
          metrics.apiError("patch-status", 409);
          view = null; // read it again and check again
          if (++conflicts >= 3) return backoff(failures + conflicts - 2);
          continue;
        }
        if (r.code() == 404) return gone(ref, results);
        if (r.code() == 429 || r.code() >= 500) return failed(ref, results, "patch", r, failures);
        // the API refused the content (too large, invalid): as Argo's agent, report that instead
        metrics.apiError("patch-status", r.code());
        String why = "HTTP " + r.code() + ": " + snippet(r.body());
        if (errorsInstead) {
          LOG.error(
              "workflow {}: cannot write the results of nodes {} even as errors ({}); giving up",
              ref,
              ids(results),
              why);
          for (Result x : results) settle(x, "refused");
          return -1;
        }
        LOG.error(
            "workflow {}: the API refused the results of nodes {} ({}); reporting Error instead",
            ref,
            ids(results),
            why);
        results =
            asErrors(
                results,
                "the task completed but an error occurred when patching its result: " + why);
        errorsInstead = true;
      } catch (IOException e) {
        metrics.apiError("patch-status", 0);
        LOG.warn(
            "workflow {}: status patch for nodes {} failed ({}); retrying",
            ref,
            ids(results),
            e.getMessage());
        return backoff(failures);
      }
    }
  }

  private List<Result> asErrors(List<Result> results, String message) {
    List<Result> out = new ArrayList<>();
    for (Result r : results) {
      ObjectNode n = TaskSet.JSON.createObjectNode().put("phase", "Error").put("message", message);
      if (r.node().has("startedAt")) n.set("startedAt", r.node().get("startedAt"));
      if (r.node().has("finishedAt")) n.set("finishedAt", r.node().get("finishedAt"));
      out.add(new Result(r.taskSet(), r.uid(), r.nodeId(), n, r.seenNanos()));
    }
    return out;
  }

  private long failed(
      TaskSet.Ref ref, List<Result> results, String what, Api.Response r, int failures) {
    metrics.apiError(what.equals("read") ? "get-taskset" : "patch-status", r.code());
    long d = backoff(failures);
    LOG.warn(
        "workflow {}: {} for nodes {} answered HTTP {} ({}); retrying in {} ms",
        ref,
        what.equals("read") ? "reading the TaskSet" : "status patch",
        ids(results),
        r.code(),
        snippet(r.body()),
        d);
    return d;
  }

  private long gone(TaskSet.Ref ref, List<Result> results) {
    LOG.info("workflow {}: TaskSet gone; results of nodes {} not written", ref, ids(results));
    for (Result r : results) settle(r, "gone");
    views.remove(ref);
    return -1;
  }

  private void settle(Result r, String dropped) {
    if (dropped != null) metrics.dropped(dropped);
    outcome.settled(r, Optional.ofNullable(dropped));
  }

  /** Exponential from 50 ms, capped at 5 s, with ±50% jitter so replicas do not retry in step. */
  static long backoff(int failures) {
    long d = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(failures, 20));
    return (long) (d * (0.5 + ThreadLocalRandom.current().nextDouble()));
  }

  /** {@code {"metadata":{"resourceVersion":…},"status":{"nodes":{id: result, …}}}}. */
  static byte[] body(String resourceVersion, List<Result> results) {
    ObjectNode patch = TaskSet.JSON.createObjectNode();
    if (resourceVersion != null && !resourceVersion.isEmpty())
      patch.putObject("metadata").put("resourceVersion", resourceVersion);
    ObjectNode nodes = patch.putObject("status").putObject("nodes");
    for (Result r : results) nodes.set(r.nodeId(), r.node());
    try {
      return TaskSet.JSON.writeValueAsBytes(patch);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(List<Result> results) {
    return results.stream().map(Result::nodeId).toList();
  }

  private static String snippet(byte[] body) {
    String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    try {
      JsonNode j = TaskSet.JSON.readTree(s);
      if (j != null && j.hasNonNull("message")) s = j.get("message").asText();
    } catch (IOException e) {
      // not JSON: as is
    }
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  /**
   * Writes what is pending, waiting at most {@code waitMs}, then stops. Results still unwritten are
   * lost with this replica: their nodes stay without a final result and are run again by the
   * replica that owns them next.
   */
  boolean drain(long waitMs) throws InterruptedException {
    long until = System.nanoTime() + waitMs * 1_000_000;
    while (pending() > 0 && System.nanoTime() < until) {
      Thread.sleep(5); // polling a count the patch threads lower; not ordering anything
    }
    boolean done = pending() == 0;
    close();
    return done;
  }

  @Override
  public void close() {
    stopped = true;
    pool.shutdownNow();
  }
}
