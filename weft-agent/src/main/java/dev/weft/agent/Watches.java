package dev.weft.agent;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's informers on WorkflowTaskSets: one per watched namespace (or one for all), with the
 * label selector; their caches answer rescans. A dropped watch resumes from its resource version
 * and relists when that version has expired; failures are counted and logged. A watch that has
 * delivered nothing for a while is replaced by a new list and watch ({@link #restartIfSilent}): the
 * JDK client has been seen to miss a closed connection and never watch again (the same symptom as
 * fabric8 kubernetes-client #5189), and a real API server's silence is then indistinguishable from
 * a dead watch.
 */
final class Watches {
  private static final Logger LOG = LoggerFactory.getLogger(Watches.class);
  static final ResourceDefinitionContext TASK_SETS =
      new ResourceDefinitionContext.Builder()
          .withGroup(TaskSet.GROUP)
          .withVersion(TaskSet.VERSION)
          .withPlural(TaskSet.PLURAL)
          .withKind(TaskSet.KIND)
          .withNamespaced(true)
          .build();

  private volatile List<SharedIndexInformer<GenericKubernetesResource>> informers = List.of();

  /**
   * When the current informers' first list began ({@link System#nanoTime()}): a TaskSet seen before
   * then and missing from their caches was deleted, even if no watch said so.
   */
  private volatile long listedAtNanos = System.nanoTime();

  /** When an informer last delivered an event (or was started). */
  private volatile long lastEventNanos = System.nanoTime();

  private AgentMetrics metrics;
  private boolean stopped; // guarded by this: no informer is swapped in after stop()

  /** Opens the informers again with the arguments of {@link #start}. */
  private java.util.function.Supplier<List<SharedIndexInformer<GenericKubernetesResource>>> opener;

  /**
   * Starts an informer per namespace and waits for its first list.
   *
   * @param changed a TaskSet added or changed (on the client's event thread)
   * @param deleted a TaskSet deleted
   * @throws IllegalStateException when a namespace cannot be listed, naming why (RBAC, no CRD)
   */
  void start(
      KubernetesClient client,
      List<String> namespaces,
      String selector,
      AgentMetrics metrics,
      Consumer<GenericKubernetesResource> changed,
      Consumer<GenericKubernetesResource> deleted) {
    this.metrics = metrics;
    opener = () -> open(client, namespaces, selector, metrics, changed, deleted);
    listedAtNanos = System.nanoTime();
    informers = opener.get();
    lastEventNanos = System.nanoTime();
  }

  /**
   * Replaces the informers by new ones (a fresh list, then a watch) when none has delivered an
   * event for {@code silence}; the old ones are stopped once the new ones have listed. Runs on the
   * intake thread. Returns whether it did.
   */
  boolean restartIfSilent(Duration silence) {
    long quiet = System.nanoTime() - lastEventNanos;
    if (opener == null || quiet < silence.toNanos()) return false;
    long listing = System.nanoTime();
    List<SharedIndexInformer<GenericKubernetesResource>> fresh;
    try {
      fresh = opener.get(); // outside the lock: listing may take long, and stop() must not wait
    } catch (IllegalStateException e) {
      LOG.warn("watching WorkflowTaskSets again failed: {}; the old watch stays", e.getMessage());
      return false;
    }
    List<SharedIndexInformer<GenericKubernetesResource>> old;
    synchronized (this) {
      if (stopped) {
        stop(fresh); // the replica stopped while these listed
        return false;
      }
      old = informers;
      informers = fresh;
    }
    lastEventNanos = System.nanoTime();
    listedAtNanos = listing;
    metrics.watchRestarted();
    LOG.info("no WorkflowTaskSet event for {}s: listed and watched again", quiet / 1_000_000_000L);
    stop(old);
    return true;
  }

  private List<SharedIndexInformer<GenericKubernetesResource>> open(
      KubernetesClient client,
      List<String> namespaces,
      String selector,
      AgentMetrics metrics,
      Consumer<GenericKubernetesResource> changed,
      Consumer<GenericKubernetesResource> deleted) {
    List<SharedIndexInformer<GenericKubernetesResource>> opened = new ArrayList<>();
    var all = client.genericKubernetesResources(TASK_SETS);
    List<String> each = namespaces.isEmpty() ? Collections.singletonList(null) : namespaces;
    for (String ns : each) {
      String where = ns == null ? "all namespaces" : "namespace " + ns;
      var informer =
          (ns == null ? all.inAnyNamespace() : all.inNamespace(ns))
              .withLabelSelector(selector)
              .runnableInformer(0);
      informer.exceptionHandler(
          (started, t) -> {
            int code = t instanceof KubernetesClientException k ? k.getCode() : 0;
            metrics.apiError("watch-tasksets", code);
            LOG.warn(
                "watching WorkflowTaskSets in {} failed ({}); the watch resumes, relisting if its version expired",
                where,
                t.toString());
            return true;
          });
      informer.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
              lastEventNanos = System.nanoTime();
              changed.accept(obj);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
              lastEventNanos = System.nanoTime();
              changed.accept(obj);
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
              lastEventNanos = System.nanoTime();
              deleted.accept(obj);
            }
          });
      opened.add(informer);
      try {
        informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        stop(opened);
        Throwable c = e.getCause();
        int code = c instanceof KubernetesClientException k ? k.getCode() : 0;
        throw new IllegalStateException(
            "cannot list WorkflowTaskSets in "
                + where
                + ": "
                + c.getMessage()
                + (code == 403
                    ? " (weft agent's ServiceAccount needs list and watch on workflowtasksets there; see manifests/agent)"
                    : "")
                + (code == 404
                    ? " (is Argo Workflows installed? the WorkflowTaskSet CRD is missing)"
                    : ""),
            c);
      } catch (TimeoutException e) {
        stop(opened);
        throw new IllegalStateException("listing WorkflowTaskSets in " + where + " took over 60s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop(opened);
        throw new IllegalStateException("interrupted while starting", e);
      }
    }
    return List.copyOf(opened);
  }

  /** The informers' newest copy of a TaskSet; empty once it is gone. */
  Optional<GenericKubernetesResource> cached(TaskSet.Ref ref) {
    String key = ref.namespace() + "/" + ref.name();
    for (var informer : informers) {
      GenericKubernetesResource r = informer.getStore().getByKey(key);
      if (r != null) return Optional.of(r);
    }
    return Optional.empty();
  }

  /** When the current informers began their first list ({@link System#nanoTime()}). */
  long listedAtNanos() {
    return listedAtNanos;
  }

  /** Every TaskSet the informers hold. */
  List<GenericKubernetesResource> all() {
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (var informer : informers) out.addAll(informer.getStore().list());
    return out;
  }

  void stop() {
    List<SharedIndexInformer<GenericKubernetesResource>> current;
    synchronized (this) {
      stopped = true;
      current = informers;
    }
    stop(current);
  }

  private static void stop(List<SharedIndexInformer<GenericKubernetesResource>> some) {
    for (var i : some) {
      try {
        i.stop();
      } catch (RuntimeException e) {
        LOG.debug("stopping an informer: {}", e.toString());
      }
    }
  }
}
