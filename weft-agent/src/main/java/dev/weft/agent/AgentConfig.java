package dev.weft.agent;

import dev.weft.argo.StepSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code weft agent} is configured with; built once and then fixed.
 *
 * @param namespaces the namespaces whose WorkflowTaskSets are served; empty means all of them
 * @param instanceId the workflow controller's instance ID, if it runs with one: only TaskSets
 *     labelled with it are served (without one, only TaskSets without the label)
 * @param identity this replica's name (the pod name in a cluster), unique among replicas
 * @param coordination how replicas share the work: leases in a namespace, or none (one replica)
 * @param workers tasks run at once
 * @param queue tasks waiting for a worker; beyond it tasks stay in their TaskSet until a worker
 *     frees
 * @param patchDelay how long a result waits for others of the same TaskSet before the status patch
 *     (≤ 100 ms)
 * @param shutdownGrace how long a stopping replica lets its tasks finish before it hands them back
 * @param rescanEvery how often every known TaskSet is looked at again (a safety net for missed
 *     events)
 * @param warmUp how long the step path is warmed before this replica joins the pool (zero: not at
 *     all)
 * @param opsHost where {@code /healthz}, {@code /readyz} and {@code /metrics} listen
 * @param opsPort their port; 0 picks a free one
 * @param http the outbound policy and limits of {@code http:} templates
 * @param steps what {@code plugin: wasm:} steps are configured with, as for {@code weft serve}
 */
public record AgentConfig(
    List<String> namespaces,
    Optional<String> instanceId,
    String identity,
    Coordination coordination,
    int workers,
    int queue,
    Duration patchDelay,
    Duration shutdownGrace,
    Duration rescanEvery,
    Duration warmUp,
    String opsHost,
    int opsPort,
    HttpPolicy http,
    StepSettings steps) {

  /** The most batching may add to a result's latency. */
  public static final Duration MAX_PATCH_DELAY = Duration.ofMillis(100);

  /**
   * How replicas share the work.
   *
   * @param leaseNamespace where the replicas' Leases live; empty: no leases, this replica owns
   *     every workflow
   * @param pool the name the replicas of one pool share (Leases are named {@code
   *     <pool>-<identity>})
   * @param leaseDuration a replica whose Lease was not renewed for this long is taken as gone
   * @param renewEvery how often a replica renews its Lease and reads the others'
   */
  public record Coordination(
      Optional<String> leaseNamespace, String pool, Duration leaseDuration, Duration renewEvery) {
    public Coordination {
      Objects.requireNonNull(leaseNamespace, "leaseNamespace");
      if (pool.isBlank() || !pool.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "--pool must be a DNS label (lower case letters, digits, '-'), got '" + pool + "'");
      }
      if (renewEvery.isNegative() || renewEvery.isZero())
        throw new IllegalArgumentException("--lease-renew must be positive, got " + renewEvery);
      if (leaseDuration.compareTo(renewEvery.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "--lease-duration ("
                + leaseDuration
                + ") must be at least twice --lease-renew ("
                + renewEvery
                + "), or a replica is taken as gone between two renewals");
      }
    }

    /** One replica, no Leases. */
    public static Coordination none() {
      return new Coordination(
          Optional.empty(), "weft-agent", Duration.ofSeconds(15), Duration.ofSeconds(5));
    }

    public static Coordination leases(
        String namespace, String pool, Duration duration, Duration renewEvery) {
      return new Coordination(Optional.of(namespace), pool, duration, renewEvery);
    }

    /**
     * The longest a workflow owned by a replica that died waits before another replica owns it: the
     * Lease expires, then the next reading of the Leases notices.
     */
    public Duration failoverBound() {
      return leaseDuration.plus(renewEvery);
    }
  }

  public AgentConfig {
    namespaces = List.copyOf(namespaces);
    for (String ns : namespaces) {
      if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"))
        throw new IllegalArgumentException("--namespace '" + ns + "' is not a namespace name");
    }
    Objects.requireNonNull(instanceId, "instanceId");
    if (identity.isBlank())
      throw new IllegalArgumentException(
          "the replica identity is empty (set --identity or POD_NAME)");
    Objects.requireNonNull(coordination, "coordination");
    if (workers < 1)
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    if (queue < 1) throw new IllegalArgumentException("--queue must be at least 1, got " + queue);
    if (patchDelay.isNegative() || patchDelay.compareTo(MAX_PATCH_DELAY) > 0) {
      throw new IllegalArgumentException(
          "--patch-delay must be between 0 and "
              + MAX_PATCH_DELAY.toMillis()
              + "ms, got "
              + patchDelay.toMillis()
              + "ms");
    }
    if (shutdownGrace.isNegative())
      throw new IllegalArgumentException(
          "--shutdown-grace must not be negative, got " + shutdownGrace);
    if (rescanEvery.isNegative() || rescanEvery.isZero())
      throw new IllegalArgumentException("--rescan must be positive, got " + rescanEvery);
    if (warmUp.isNegative())
      throw new IllegalArgumentException("--warm-up must not be negative, got " + warmUp);
    Objects.requireNonNull(opsHost, "opsHost");
    if (opsPort < 0 || opsPort > 65535)
      throw new IllegalArgumentException("--port must be 0-65535, got " + opsPort);
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(steps, "steps");
  }

  /** Defaults for tests and embedding: all namespaces, one replica, loopback, no warm-up. */
  public static AgentConfig defaults(String identity) {
    return new AgentConfig(
        List.of(),
        Optional.empty(),
        identity,
        Coordination.none(),
        Runtime.getRuntime().availableProcessors(),
        256,
        Duration.ofMillis(5),
        Duration.ofSeconds(25),
        Duration.ofSeconds(30),
        Duration.ZERO,
        "127.0.0.1",
        0,
        HttpPolicy.defaults(),
        StepSettings.defaults());
  }

  /**
   * {@code workflows.argoproj.io/completed!=true}, and the instance ID as Argo's controller selects
   * it.
   */
  public String labelSelector() {
    return TaskSet.COMPLETED_LABEL
        + "!=true,"
        + instanceId
            .map(id -> TaskSet.INSTANCE_ID_LABEL + "=" + id)
            .orElse("!" + TaskSet.INSTANCE_ID_LABEL);
  }

  /** A builder holding this configuration, to change a few of its values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.namespaces = namespaces;
    b.instanceId = instanceId;
    b.identity = identity;
    b.coordination = coordination;
    b.workers = workers;
    b.queue = queue;
    b.patchDelay = patchDelay;
    b.shutdownGrace = shutdownGrace;
    b.rescanEvery = rescanEvery;
    b.warmUp = warmUp;
    b.opsHost = opsHost;
    b.opsPort = opsPort;
    b.http = http;
    b.steps = steps;
    return b;
  }

  public AgentConfig withNamespaces(List<String> ns) {
    return toBuilder().namespaces(ns).build();
  }

  public AgentConfig withInstanceId(Optional<String> id) {
    return toBuilder().instanceId(id).build();
  }

  public AgentConfig withCoordination(Coordination c) {
    return toBuilder().coordination(c).build();
  }

  public AgentConfig withWorkers(int w, int q) {
    return toBuilder().workers(w, q).build();
  }

  public AgentConfig withTiming(Duration patch, Duration grace, Duration rescan, Duration warm) {
    return toBuilder().timing(patch, grace, rescan, warm).build();
  }

  public AgentConfig withOps(String host, int port) {
    return toBuilder().ops(host, port).build();
  }

  public AgentConfig withHttp(HttpPolicy p) {
    return toBuilder().http(p).build();
  }

  public AgentConfig withSteps(StepSettings s) {
    return toBuilder().steps(s).build();
  }

  /** Collects an {@link AgentConfig}; {@link #build} checks it. */
  public static final class Builder {
    private List<String> namespaces;
    private Optional<String> instanceId;
    private String identity;
    private Coordination coordination;
    private int workers;
    private int queue;
    private Duration patchDelay;
    private Duration shutdownGrace;
    private Duration rescanEvery;
    private Duration warmUp;
    private String opsHost;
    private int opsPort;
    private HttpPolicy http;
    private StepSettings steps;

    private Builder() {}

    public Builder namespaces(List<String> namespaces) {
      this.namespaces = namespaces;
      return this;
    }

    public Builder instanceId(Optional<String> instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    public Builder coordination(Coordination coordination) {
      this.coordination = coordination;
      return this;
    }

    /** Tasks run at once, and tasks waiting for a worker. */
    public Builder workers(int workers, int queue) {
      this.workers = workers;
      this.queue = queue;
      return this;
    }

    /** The patch delay, the shutdown grace, the rescan period and the warm-up. */
    public Builder timing(Duration patch, Duration grace, Duration rescan, Duration warm) {
      this.patchDelay = patch;
      this.shutdownGrace = grace;
      this.rescanEvery = rescan;
      this.warmUp = warm;
      return this;
    }

    /** Where {@code /healthz}, {@code /readyz} and {@code /metrics} listen. */
    public Builder ops(String host, int port) {
      this.opsHost = host;
      this.opsPort = port;
      return this;
    }

    public Builder http(HttpPolicy http) {
      this.http = http;
      return this;
    }

    public Builder steps(StepSettings steps) {
      this.steps = steps;
      return this;
    }

    public AgentConfig build() {
      return new AgentConfig(
          namespaces,
          instanceId,
          identity,
          coordination,
          workers,
          queue,
          patchDelay,
          shutdownGrace,
          rescanEvery,
          warmUp,
          opsHost,
          opsPort,
          http,
          steps);
    }
  }
}
