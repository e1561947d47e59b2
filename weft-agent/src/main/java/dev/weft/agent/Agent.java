package dev.weft.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.ArtifactScopes;
import dev.weft.argo.NodeResult;
import dev.weft.argo.WasmPlugin;
import dev.weft.runtime.WeftRuntime;
import dev.weft.runtime.capability.http.HostResolver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weft agent}: one long-lived replica of a pool that runs the {@code plugin: wasm:} and
 * {@code http:} tasks of Argo's WorkflowTaskSets (with the controller's {@code
 * disableAgentPodCreation}), reporting {@code Running} when a task starts and its final result as
 * soon as it finishes. See docs/cluster.md.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final java.time.Duration CANCEL_REPEAT = java.time.Duration.ofMillis(50);
  private static final int CANCEL_REPEATS = 200;
  static final ResourceDefinitionContext TASK_SETS = Watches.TASK_SETS;

  /** Rescan periods without a watch event after which the watches are opened again. */
  static final int SILENT_RESCANS = 5;

  private final AgentConfig config;
  private final KubernetesClient client;
  private final WasmPlugin plugin;
  private final Tasks.Runner runner;
  private final Ledger ledger = new Ledger();
  private final Timestamps timestamps = new Timestamps(java.time.Clock.systemUTC());
  private final AgentMetrics metrics;
  private final StatusPatcher patcher;
  private final Optional<Membership> membership;
  private final ThreadPoolExecutor workers;

  private final Watches watches = new Watches();
  private final Intake intake;
  private final OpsServer ops;
  private volatile boolean ready;
  private volatile boolean draining;

  /** Set when the shutdown grace is over: tasks interrupted then are handed back, not reported. */
  private volatile boolean handingBack;

  private volatile boolean closed;

  private Agent(
      KubernetesClient client,
      AgentConfig config,
      Optional<WeftRuntime> runtime,
      UnaryOperator<Tasks.Runner> wrap) {
    this.config = config;
    this.client = client;
    KubeApi api = new KubeApi(client);
    // Each workflow's artifacts go to its own repository, with Secrets from its own namespace.
    ArtifactScopes repositories =
        new WorkflowRepositories(
            api,
            api,
            ArtifactScopes.fixed(config.steps().artifacts()),
            config.http(),
            HostResolver.SYSTEM,
            System::nanoTime,
            this::apiError);
    this.plugin =
        runtime
            .map(r -> WasmPlugin.create(r, config.steps(), repositories))
            .orElseGet(() -> WasmPlugin.create(config.steps(), repositories));
    this.runner = wrap.apply(Tasks.dispatch(plugin, new HttpTemplates(config.http(), api)));
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            config.workers(),
            config.workers(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(config.queue()),
            r -> {
              Thread t =
                  new Thread(
                      null,
                      r,
                      "weft-agent-task-" + n.incrementAndGet(),
                      16L << 20); // deep Wasm recursion is deep JVM recursion
              t.setDaemon(true);
              return t;
            });
    this.intake = new Intake(this::consider, watches);
    this.metrics =
        new AgentMetrics(
            () -> workers.getQueue().size(), workers::getActiveCount, this::memberCount);
    this.membership =
        config
            .coordination()
            .leaseNamespace()
            .map(
                ns ->
                    new Membership(
                        client,
                        config.coordination(),
                        config.identity(),
                        System::nanoTime,
                        metrics,
                        members -> intake.rescanAll()));
    this.patcher =
        new StatusPatcher(
            api,
            config.patchDelay().toMillis(),
            Math.max(2, Math.min(8, config.workers())),
            metrics,
            this::settled);
    this.ops =
        new OpsServer(
            config.opsHost(),
            config.opsPort(),
            () -> ready && !draining,
            () -> draining ? "shutting down" : ready ? "ready" : "starting",
            metrics::scrape);
  }

  /** Starts a replica: metrics and health at once, then warm-up, the pool, the watches. */
  public static Agent start(KubernetesClient client, AgentConfig config) {
    return start(client, config, Optional.empty(), UnaryOperator.identity());
  }

  /**
   * As {@link #start(KubernetesClient, AgentConfig)}, on a runtime the caller owns and closes
   * (replicas in one JVM share it).
   */
  public static Agent start(KubernetesClient client, AgentConfig config, WeftRuntime runtime) {
    return start(client, config, Optional.of(runtime), UnaryOperator.identity());
  }

  /**
   * As {@link #start(KubernetesClient, AgentConfig)}, on a runtime the caller owns (tests share
   * one), with the task runner wrapped (tests hold tasks with it).
   */
  static Agent start(
      KubernetesClient client,
      AgentConfig config,
      Optional<WeftRuntime> runtime,
      UnaryOperator<Tasks.Runner> wrap) {
    Agent a = new Agent(client, config, runtime, wrap);
    try {
      a.startUp();
    } catch (RuntimeException e) {
      a.kill();
      throw e;
    }
    return a;
  }

  private void startUp() {
    ops.start();
    LOG.info("weft agent {}", AgentWarmUp.run(plugin, config.warmUp(), () -> draining));
    membership.ifPresent(
        m -> {
          m.start();
          LOG.info(
              "pool {}: replicas {}; a dead replica's workflows move within {}s",
              config.coordination().pool(),
              m.members(),
              config.coordination().failoverBound().toSeconds());
        });
    String selector = config.labelSelector();
    watches.start(
        client,
        config.namespaces(),
        selector,
        metrics,
        intake::arrived,
        obj -> {
          TaskSet ts = TaskSet.from(obj);
          intake.gone(ts.ref());
          cancel(ts.uid(), ts.ref(), "deleted or completed");
        });
    intake.rescanEvery(config.rescanEvery());
    // A watch silent for five rescan periods (2.5 minutes by default) is replaced by a new list
    // and watch: a connection the client missed closing would otherwise starve the replica.
    Duration silence = config.rescanEvery().multipliedBy(SILENT_RESCANS);
    intake.every(
        config.rescanEvery(),
        () -> {
          if (watches.restartIfSilent(silence)) forgetVanished();
        });
    ready = true;
    LOG.info(
        "weft agent {} serving {} (selector {}), {} workers, queue {}",
        config.identity(),
        config.namespaces().isEmpty() ? "all namespaces" : "namespaces " + config.namespaces(),
        selector,
        config.workers(),
        config.queue());
  }

  /** For parts made before the metrics (a method reference: the field is not assigned yet). */
  private void apiError(String operation, int code) {
    metrics.apiError(operation, code);
  }

  private int memberCount() {
    return membership == null ? 0 : membership.map(m -> m.members().size()).orElse(1);
  }

  public int opsPort() {
    return ops.port();
  }

  public boolean ready() {
    return ready && !draining;
  }

  /** Results not written yet (queued or being patched). */
  int pendingResults() {
    return patcher.pending();
  }

  AgentMetrics metrics() {
    return metrics;
  }

  /** The TaskSets of the workflows this replica has ledger entries for (for tests). */
  java.util.List<TaskSet.Ref> ledgerWorkflows() {
    return ledger.workflows().values().stream().map(Ledger.Known::taskSet).toList();
  }

  /** The Prometheus text of this replica's metrics, as /metrics serves it. */
  public String scrape() {
    return metrics.scrape();
  }

  /**
   * Looks at a TaskSet: queues each of its tasks that this replica owns, that has no final result
   * and that is not known yet. When the queue is full the rest stay in the TaskSet and it is
   * remembered as deferred.
   *
   * @return false when tasks were left for want of room
   */
  boolean consider(TaskSet ts, long seenNanos) {
    if (draining) return true;
    patcher.observed(ts);
    if (ts.completed()) {
      cancel(ts.uid(), ts.ref(), "completed");
      return true;
    }
    ledger.retain(ts.uid(), ts.taskIds());
    boolean mine = membership.map(m -> m.owns(ts.uid())).orElse(true);
    ObjectNode meta = null;
    for (String id : ts.taskIds()) {
      if (ts.finished(id)) {
        ledger.finishedElsewhere(ts.uid(), id, ts.ref());
        continue;
      }
      if (!mine || ledger.known(ts.uid(), id)) continue;
      if (workers.getQueue().remainingCapacity() == 0
          && workers.getActiveCount() >= config.workers()) {
        return defer(ts.ref());
      }
      Ledger.Entry e = ledger.claim(ts.uid(), id, ts.ref(), seenNanos);
      if (e == null) continue;
      if (meta == null) meta = ts.workflowMeta();
      Tasks.Task t = new Tasks.Task(ts.ref(), id, meta, ts.template(id));
      FutureTask<Void> f = new FutureTask<>(() -> run(e, t), null);
      e.future = f;
      try {
        workers.execute(f);
      } catch (RejectedExecutionException full) {
        ledger.release(e);
        return defer(ts.ref());
      }
    }
    return true;
  }

  /** No room: the TaskSet's other tasks stay in it, looked at again when workers free. */
  private boolean defer(TaskSet.Ref ref) {
    metrics.deferred();
    intake.deferred(ref);
    return false;
  }

  private void run(Ledger.Entry e, Tasks.Task t) {
    if (e.future.isCancelled() || closed) return;
    e.state = Ledger.State.RUNNING;
    e.bind(Thread.currentThread());
    String startedAt = now();
    offer(
        e,
        NodeResult.running("running on weft agent " + config.identity())
            .toJson()
            .put("startedAt", startedAt));
    NodeResult r;
    try {
      r = runner.run(t);
    } catch (InterruptedException ie) {
      return; // cancelled, or handed back at shutdown
    } catch (RuntimeException | StackOverflowError ex) {
      LOG.error(
          "workflow {} node {}: weft agent failed running the task", t.taskSet(), t.nodeId(), ex);
      r = NodeResult.error("weft agent failed running the task: " + ex);
    } finally {
      e.unbind();
      // refill once half the queue is free, not per finished task
      if (intake.hasDeferred() && workers.getQueue().size() <= config.queue() / 2) intake.refill();
    }
    if (e.future.isCancelled() || closed || handingBack)
      return; // an interrupted run's "cancelled" is not the node's result
    e.state = Ledger.State.DONE;
    if (!r.succeeded())
      LOG.info("workflow {} node {}: {}: {}", t.taskSet(), t.nodeId(), r.phase(), r.message());
    offer(e, r.toJson().put("startedAt", startedAt).put("finishedAt", now()));
  }

  private void offer(Ledger.Entry e, ObjectNode node) {
    patcher.offer(new StatusPatcher.Result(e.taskSet, e.uid, e.nodeId, node, e.seenNanos));
  }

  private void settled(StatusPatcher.Result r, Optional<String> dropped) {
    if (dropped.isEmpty() && r.isFinal()) metrics.finished(r.phase(), r.seenNanos());
    if (dropped.isPresent() && r.isFinal()) {
      LOG.info(
          "workflow {} node {}: result {} not written: the node {}",
          r.taskSet(),
          r.nodeId(),
          r.phase(),
          dropped.get().equals("finished")
              ? "already has a final result"
              : dropped.get().equals("gone") ? "left the TaskSet" : "result was refused");
    }
  }

  /**
   * After a new list (the watchdog replaced a silent watch): a workflow this replica knew from
   * before that list and whose TaskSet the list no longer holds (or holds under another UID) was
   * deleted while no watch told. Its tasks are cancelled and its entries forgotten, as a delete
   * event would have done. Runs on the intake thread, like the claims it could race with; a
   * workflow whose tasks were first seen after the list began is left alone (its TaskSet may still
   * be arriving in the new informers' caches).
   */
  void forgetVanished() {
    long listed = watches.listedAtNanos();
    ledger
        .workflows()
        .forEach(
            (uid, known) -> {
              var since = known.activeSinceNanos();
              if (since.isPresent() && since.getAsLong() - listed >= 0) return;
              boolean present =
                  watches
                      .cached(known.taskSet())
                      .map(r -> uid.equals(r.getMetadata().getUid()))
                      .orElse(false);
              if (present) return;
              intake.gone(known.taskSet());
              cancel(uid, known.taskSet(), "deleted while the watch was silent");
            });
  }

  private void cancel(String uid, TaskSet.Ref ref, String why) {
    patcher.forget(ref);
    for (Ledger.Entry e : ledger.forgetWorkflow(uid)) {
      if (e.state != Ledger.State.DONE && e.future != null && e.future.cancel(true)) {
        metrics.cancelled();
        LOG.info("workflow {} {}: task of node {} cancelled", ref, why, e.nodeId);
        // The interrupt is the runtime's cancel signal, and the tiered engine's switch to compiled
        // code interrupts the thread too and then clears its flag: a cancel landing in that
        // window would be lost and the task would run to its timeout. So it is repeated until the
        // worker has let go of the task.
        intake.repeatWhile(e::interruptWorker, CANCEL_REPEAT, CANCEL_REPEATS);
      }
    }
  }

  private String now() {
    return timestamps.now();
  }

  /**
   * Graceful stop: not ready, no new tasks; queued and running tasks get the shutdown grace to
   * finish and be reported; what is still running then is interrupted and handed back (its node
   * stays {@code Running} and the next owner runs it again); then this replica leaves the pool.
   */
  @Override
  public void close() {
    if (closed || draining) return;
    draining = true;
    intake.stop();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        List<Ledger.Entry> left = ledger.active();
        handingBack = true;
        workers.shutdownNow();
        LOG.warn(
            "shutdown grace of {}s over: {} tasks handed back ({})",
            config.shutdownGrace().toSeconds(),
            left.size(),
            left.stream().limit(20).map(e -> e.taskSet + " node " + e.nodeId).toList());
      }
      if (!patcher.drain(5_000))
        LOG.warn(
            "results still unwritten at shutdown: their nodes run again on the replica that owns them next");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closed = true;
      membership.ifPresent(Membership::leave);
      stopRest();
    }
  }

  /** Stops renewing this replica's Lease while it keeps working: a network partition, for tests. */
  void stopRenewingLease() {
    membership.ifPresent(Membership::stop);
  }

  /** The live replicas this replica sees (itself alone without Leases). */
  public List<String> members() {
    return membership.map(Membership::members).orElse(List.of(config.identity()));
  }

  /** Stops at once, as a crash would: no patches, no goodbye; the Lease expires. For tests. */
  void kill() {
    closed = true;
    draining = true;
    membership.ifPresent(Membership::stop);
    intake.stop();
    workers.shutdownNow();
    patcher.close();
    stopRest();
  }

  private void stopRest() {
    watches.stop();
    ops.stop();
    plugin.close();
  }
}
