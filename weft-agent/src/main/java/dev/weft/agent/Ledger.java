package dev.weft.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * What this replica knows of each node, keyed by (workflow UID, node ID): queued, running, or done
 * (finished here, or seen finished in the TaskSet). A node with an entry is never started again;
 * entries go when the node leaves {@code spec.tasks} (Argo removes finished nodes) or its workflow
 * is deleted or completed. So the ledger is bounded by the tasks the watched TaskSets hold.
 */
final class Ledger {
  enum State {
    QUEUED,
    RUNNING,
    DONE
  }

  /** One node's entry. */
  static final class Entry {
    final String uid;
    final String nodeId;
    final TaskSet.Ref taskSet;

    /**
     * When the node was first seen ({@link System#nanoTime()}), for the seen-to-patched latency.
     */
    final long seenNanos;

    volatile State state;
    volatile Future<?> future;

    /** The worker thread running the task, while it runs it. */
    private Thread worker;

    synchronized void bind(Thread t) {
      worker = t;
    }

    synchronized void unbind() {
      worker = null;
    }

    /**
     * Interrupts the worker if it still runs this task (never a task it took up since).
     *
     * @return whether it still ran it
     */
    synchronized boolean interruptWorker() {
      if (worker == null) return false;
      worker.interrupt();
      return true;
    }

    Entry(String uid, String nodeId, TaskSet.Ref taskSet, long seenNanos, State state) {
      this.uid = uid;
      this.nodeId = nodeId;
      this.taskSet = taskSet;
      this.seenNanos = seenNanos;
      this.state = state;
    }
  }

  private final Map<String, Map<String, Entry>> byWorkflow = new ConcurrentHashMap<>();

  /** A new QUEUED entry, or null when the node already has one (it is not started twice). */
  Entry claim(String uid, String nodeId, TaskSet.Ref ts, long seenNanos) {
    Entry mine = new Entry(uid, nodeId, ts, seenNanos, State.QUEUED);
    Entry old =
        byWorkflow.computeIfAbsent(uid, u -> new ConcurrentHashMap<>()).putIfAbsent(nodeId, mine);
    return old == null ? mine : null;
  }

  /** Records a node seen finished in its TaskSet, so it is never run here. */
  void finishedElsewhere(String uid, String nodeId, TaskSet.Ref ts) {
    Entry e =
        byWorkflow
            .computeIfAbsent(uid, u -> new ConcurrentHashMap<>())
            .computeIfAbsent(nodeId, n -> new Entry(uid, n, ts, 0, State.DONE));
    e.state = State.DONE;
  }

  boolean known(String uid, String nodeId) {
    Map<String, Entry> m = byWorkflow.get(uid);
    return m != null && m.containsKey(nodeId);
  }

  /**
   * Gives a node back (the queue was full, or the replica is stopping): it may be claimed again.
   */
  void release(Entry e) {
    Map<String, Entry> m = byWorkflow.get(e.uid);
    if (m != null) m.remove(e.nodeId, e);
  }

  /** Removes and returns every entry of a workflow (deleted or completed). */
  List<Entry> forgetWorkflow(String uid) {
    Map<String, Entry> m = byWorkflow.remove(uid);
    return m == null ? List.of() : new ArrayList<>(m.values());
  }

  /** Forgets done nodes that left the TaskSet's {@code spec.tasks}; queued or running ones stay. */
  void retain(String uid, Set<String> taskIds) {
    Map<String, Entry> m = byWorkflow.get(uid);
    if (m == null) return;
    m.values().removeIf(e -> e.state == State.DONE && !taskIds.contains(e.nodeId));
    if (m.isEmpty()) byWorkflow.remove(uid, m);
  }

  /**
   * Every workflow the ledger has entries for, with its TaskSet and, when it has queued or running
   * nodes, when the first of them was seen.
   */
  Map<String, Known> workflows() {
    Map<String, Known> out = new java.util.HashMap<>();
    byWorkflow.forEach(
        (uid, m) -> {
          for (Entry e : m.values()) {
            Known k =
                e.state == State.DONE
                    ? new Known(e.taskSet, java.util.OptionalLong.empty())
                    : new Known(e.taskSet, java.util.OptionalLong.of(e.seenNanos));
            out.merge(uid, k, Known::earlier);
          }
        });
    return out;
  }

  /**
   * A workflow in the ledger: its TaskSet, and when the replica first saw one of its queued or
   * running nodes ({@link System#nanoTime()}; empty when all its nodes are done).
   */
  record Known(TaskSet.Ref taskSet, java.util.OptionalLong activeSinceNanos) {
    Known earlier(Known o) {
      if (activeSinceNanos.isEmpty()) return o;
      if (o.activeSinceNanos.isEmpty()) return this;
      return o.activeSinceNanos.getAsLong() - activeSinceNanos.getAsLong() < 0 ? o : this;
    }
  }

  /** Entries not done: what this replica holds. */
  List<Entry> active() {
    List<Entry> out = new ArrayList<>();
    for (Map<String, Entry> m : byWorkflow.values()) {
      for (Entry e : m.values()) if (e.state != State.DONE) out.add(e);
    }
    return out;
  }

  int size() {
    return byWorkflow.values().stream().mapToInt(Map::size).sum();
  }
}
