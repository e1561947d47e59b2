package dev.weft.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica owns which workflow. Each replica holds a Lease of its own ({@code
 * <pool>-<identity>} in the lease namespace) and renews it; every renewal also lists the pool's
 * Leases. A replica is live while its Lease's {@code renewTime} keeps changing: a Lease unchanged
 * for {@code leaseDuration} of this replica's own clock is taken as gone, so clocks need not agree.
 * A workflow belongs to the live replica with the highest rendezvous hash of (replica, workflow
 * UID): when a replica goes, only its workflows move, spread over the others.
 *
 * <p>A replica whose own renewals fail for {@code leaseDuration} owns nothing until one succeeds:
 * the others have taken its workflows by then.
 */
final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  static final String POOL_LABEL = "weft.dev/agent-pool";

  /** A change of the live replicas. */
  interface Listener {
    void membersChanged(List<String> members);
  }

  private final KubernetesClient client;
  private final AgentConfig.Coordination config;
  private final String identity;
  private final String leaseName;
  private final LongSupplier nanos;
  private final AgentMetrics metrics;
  private final Listener listener;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "weft-agent-lease");
            t.setDaemon(true);
            return t;
          });

  /** Per lease name: the renewTime last read and when (our clock) it last changed. */
  private final Map<String, Observed> observed = new HashMap<>();

  private volatile List<String> members = List.of();
  private volatile long lastRenewedNanos = Long.MIN_VALUE;
  private Lease own;
  private volatile boolean stopped;

  private record Observed(String holder, String renewTime, long changedNanos) {}

  Membership(
      KubernetesClient client,
      AgentConfig.Coordination config,
      String identity,
      LongSupplier nanos,
      AgentMetrics metrics,
      Listener listener) {
    this.client = client;
    this.config = config;
    this.identity = identity;
    this.leaseName = config.pool() + "-" + identity;
    this.nanos = nanos;
    this.metrics = metrics;
    this.listener = listener;
  }

  /** Takes the Lease and reads the pool once, then keeps doing so every {@code renewEvery}. */
  void start() {
    tick();
    long every = config.renewEvery().toMillis();
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  /** Whether this replica owns the workflow now. */
  boolean owns(String workflowUid) {
    List<String> m = members;
    if (m.isEmpty() || !selfLive()) return false;
    return identity.equals(owner(workflowUid, m));
  }

  List<String> members() {
    return members;
  }

  private boolean selfLive() {
    return lastRenewedNanos != Long.MIN_VALUE
        && nanos.getAsLong() - lastRenewedNanos < config.leaseDuration().toNanos();
  }

  /** The rendezvous owner of a workflow among replicas: highest hash of (replica, uid) wins. */
  static String owner(String workflowUid, Collection<String> replicas) {
    String best = null;
    long bestHash = 0;
    for (String r : replicas) {
      long h = hash(r, workflowUid);
      if (best == null
          || Long.compareUnsigned(h, bestHash) > 0
          || h == bestHash && r.compareTo(best) < 0) {
        best = r;
        bestHash = h;
      }
    }
    return best;
  }

  /** FNV-1a over "replica\0uid", then MurmurHash3's 64-bit finaliser: cheap, stable across JVMs. */
  static long hash(String replica, String uid) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (replica + "\0" + uid).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private synchronized void tick() {
    if (stopped) return;
    try {
      renew();
      lastRenewedNanos = nanos.getAsLong();
    } catch (KubernetesClientException e) {
      metrics.apiError("renew-lease", e.getCode());
      LOG.warn(
          "cannot renew lease {}/{} (HTTP {}): {}; this replica takes no new workflows once it has not renewed for {}s",
          config.leaseNamespace().orElse(""),
          leaseName,
          e.getCode(),
          e.getMessage(),
          config.leaseDuration().toSeconds());
    }
    try {
      read();
    } catch (KubernetesClientException e) {
      metrics.apiError("list-leases", e.getCode());
      LOG.warn(
          "cannot list the pool's leases in {} (HTTP {}): {}",
          config.leaseNamespace().orElse(""),
          e.getCode(),
          e.getMessage());
    }
  }

  private void renew() {
    String ns = config.leaseNamespace().orElseThrow();
    java.time.ZonedDateTime now =
        java.time.ZonedDateTime.now(ZoneOffset.UTC)
            .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    if (own == null) {
      Lease l =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(leaseName)
              .withNamespace(ns)
              .addToLabels(POOL_LABEL, config.pool())
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(identity)
              .withLeaseDurationSeconds((int) config.leaseDuration().toSeconds())
              .withAcquireTime(now)
              .withRenewTime(now)
              .endSpec()
              .build();
      try {
        own = client.leases().inNamespace(ns).resource(l).create();
        metrics.leaseChange("acquired");
        LOG.info("joined pool {} with lease {}/{}", config.pool(), ns, leaseName);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        // our name is left from an earlier run of this replica: take it over below
        own =
            client.leases().inNamespace(ns).list().getItems().stream()
                .filter(x -> leaseName.equals(x.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> e);
      }
    }
    Lease next =
        new LeaseBuilder(own)
            .editSpec()
            .withHolderIdentity(identity)
            .withRenewTime(now)
            .endSpec()
            .build();
    try {
      own = client.leases().inNamespace(ns).resource(next).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409)
        own = null; // deleted or changed by someone else: recreate or re-read next time
      throw e;
    }
  }

  private void read() {
    String ns = config.leaseNamespace().orElseThrow();
    List<Lease> leases =
        client.leases().inNamespace(ns).withLabel(POOL_LABEL, config.pool()).list().getItems();
    long now = nanos.getAsLong();
    Map<String, Observed> seen = new HashMap<>();
    for (Lease l : leases) {
      String name = l.getMetadata().getName();
      String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
      if (holder == null) continue;
      String renew =
          l.getSpec().getRenewTime() == null
              ? ""
              : l.getSpec().getRenewTime().toInstant().toString();
      Observed before = observed.get(name);
      seen.put(
          name,
          before != null && before.renewTime().equals(renew) && before.holder().equals(holder)
              ? before
              : new Observed(holder, renew, now));
    }
    observed.clear();
    observed.putAll(seen);
    TreeSet<String> live = new TreeSet<>();
    for (Observed o : seen.values()) {
      if (now - o.changedNanos() < config.leaseDuration().toNanos()) live.add(o.holder());
    }
    if (selfLive()) live.add(identity);
    List<String> next = List.copyOf(live);
    if (!next.equals(members)) {
      List<String> before = members;
      members = next;
      metrics.leaseChange("members");
      LOG.info("pool {}: replicas {} (were {})", config.pool(), next, before);
      listener.membersChanged(next);
    }
  }

  /**
   * Leaves the pool at once (graceful shutdown): the others take this replica's workflows on their
   * next reading.
   */
  void leave() {
    stop();
    String ns = config.leaseNamespace().orElseThrow();
    try {
      client.leases().inNamespace(ns).withName(leaseName).delete();
      metrics.leaseChange("released");
      LOG.info("left pool {} (lease {}/{} deleted)", config.pool(), ns, leaseName);
    } catch (KubernetesClientException e) {
      metrics.apiError("delete-lease", e.getCode());
      LOG.warn(
          "cannot delete lease {}/{} (HTTP {}): the others take this replica's workflows when it expires in {}s",
          ns,
          leaseName,
          e.getCode(),
          config.leaseDuration().toSeconds());
    }
  }

  /** Stops renewing without a word (a crash, in tests; or before {@link #leave}). */
  void stop() {
    stopped = true;
    timer.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }
}
