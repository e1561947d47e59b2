package dev.weft.bench.agent;

import dev.weft.agent.Agent;
import dev.weft.agent.AgentConfig;
import dev.weft.argo.StepSettings;
import dev.weft.runtime.Engine;
import dev.weft.runtime.WeftRuntime;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool against the API stand-in (fabric8's mock API server in CRUD mode, in this JVM, over
 * loopback HTTP), and the sidecar path in the same run (docs/benchmarks.md §10).
 *
 * <ol>
 *   <li><b>burst</b>: 100 TaskSets of 100 {@code hello} tasks each are written as fast as the
 *       writer can; measured: tasks/s from the first write to the last final result seen, and the
 *       latency from a TaskSet written to each of its tasks' results seen by a watch (this includes
 *       waiting behind the other tasks).
 *   <li><b>paced</b>: tasks added one by one (a JSON patch per task, round-robin over 100 TaskSets)
 *       at a fixed rate below capacity; measured: latency from the patch accepted to the final
 *       result seen by a watch, p50/p99; and the agents' own seen-to-patched histogram.
 *   <li><b>sidecar</b>: an agent-like client (16 concurrent calls, Argo's ARGO_AGENT_TASK_WORKERS)
 *       posting the same number of {@code hello} steps to an in-process {@code weft serve};
 *       measured: tasks/s and request latency. Argo's agent then waits for its patch interval (10 s
 *       by default) before writing results: added as stated, not measured here.
 * </ol>
 *
 * Usage: {@code PoolBench MODULE_DIR REPLICAS [BURST_WORKFLOWS TASKS_PER_WORKFLOW PACED_TASKS
 * PACED_RATE [BURSTS]]} (2 bursts unless told)
 */
public final class PoolBench {
  static final ResourceDefinitionContext TASK_SETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("argoproj.io")
          .withVersion("v1alpha1")
          .withPlural("workflowtasksets")
          .withKind("WorkflowTaskSet")
          .withNamespaced(true)
          .build();
  static final String HELLO =
      "{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"bench\"}]},"
          + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},\"metadata\":{},"
          + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}";

  private PoolBench() {}

  public static void main(String[] args) throws Exception {
    Path modules = Path.of(args[0]);
    int replicas = Integer.parseInt(args[1]);
    int workflows = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int perWorkflow = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int pacedTasks = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    int pacedRate = args.length > 5 ? Integer.parseInt(args[5]) : 100;
    int bursts = args.length > 6 ? Integer.parseInt(args[6]) : 2;
    System.out.printf(
        Locale.ROOT,
        "pool bench: %d replicas, %d cores, load average %.1f%n",
        replicas,
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    Map<
            io.fabric8.mockwebserver.ServerRequest,
            java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>
        responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    NamespacedKubernetesClient controller = server.createClient();
    controller
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("workflowtasksets.argoproj.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("argoproj.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("WorkflowTaskSet")
                .withPlural("workflowtasksets")
                .withSingular("workflowtaskset")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1")
                .withServed(true)
                .withStorage(true)
                .withNewSubresources()
                .withNewStatus()
                .endStatus()
                .endSubresources()
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build())
        .create();

    Results results = new Results();
    var watch = controller.genericKubernetesResources(TASK_SETS).inAnyNamespace().watch(results);

    StepSettings d = StepSettings.defaults();
    StepSettings steps =
        new StepSettings(
            Optional.of(modules),
            d.cacheDir(),
            d.cacheMaxBytes(),
            d.limits(),
            d.registries(),
            d.artifacts(),
            Engine.TIERED,
            d.capabilities());
    WeftRuntime runtime = WeftRuntime.builder().engine(Engine.TIERED).build();
    List<Agent> agents = new ArrayList<>();
    List<KubernetesClient> clients = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      KubernetesClient c = server.createClient();
      clients.add(c);
      AgentConfig.Coordination coordination =
          replicas == 1
              ? AgentConfig.Coordination.none()
              : AgentConfig.Coordination.leases(
                  "weft", "bench", Duration.ofSeconds(15), Duration.ofSeconds(5));
      agents.add(
          Agent.start(
              c,
              AgentConfig.defaults("replica-" + r)
                  .withCoordination(coordination)
                  .withSteps(steps)
                  .withWorkers(Runtime.getRuntime().availableProcessors(), 256)
                  .withTiming(
                      Duration.ofMillis(5),
                      Duration.ofSeconds(5),
                      Duration.ofSeconds(30),
                      Duration.ofSeconds(5)),
              runtime));
    }
    if (replicas > 1) {
      long until = System.nanoTime() + 30_000_000_000L;
      while (agents.stream().anyMatch(a -> a.members().size() < replicas)
          && System.nanoTime() < until) Thread.sleep(50);
    }
    // a probe per replica: the mock drops watch events sent before a watch's WebSocket opens
    for (int i = 0; i < 10 * replicas && results.done.get() < replicas; i++) {
      results.expect("probe-" + i + "/n", System.nanoTime());
      create(controller, "probe-" + i, Map.of("n", HELLO));
      Thread.sleep(300);
    }
    results.reset();

    // 1. burst, twice: the first in a JVM that is still compiling the task path (a fresh replica),
    // the second as a replica that has been running for a while
    int total = workflows * perWorkflow;
    for (int round = 1; round <= bursts; round++) {
      String label = round == 1 ? "burst 1 (fresh JVM)" : "burst " + round + " (warm JVM)";
      ThreadCpu cpu = new ThreadCpu();
      Profile profile = Profile.start("burst" + round);
      long t0 = System.nanoTime();
      for (int w = 0; w < workflows; w++) {
        Map<String, String> tasks = new HashMap<>();
        for (int t = 0; t < perWorkflow; t++) tasks.put("b" + round + "-" + w + "-" + t, HELLO);
        String name = "burst" + round + "-" + w;
        long written = System.nanoTime();
        for (String id : tasks.keySet()) results.expect(name + "/" + id, written);
        create(controller, name, tasks);
        for (String id : tasks.keySet()) results.expect(name + "/" + id, System.nanoTime());
      }
      long writtenAll = System.nanoTime();
      results.await(total, Duration.ofMinutes(10));
      long t1 = results.lastNanos.get();
      profile.stop();
      System.out.printf(
          Locale.ROOT,
          "%s: %d tasks in %d TaskSets written in %.2f s; all results in %.2f s: %.0f tasks/s (%.0f per replica)%n",
          label,
          total,
          workflows,
          (writtenAll - t0) / 1e9,
          (t1 - t0) / 1e9,
          total / ((t1 - t0) / 1e9),
          total / ((t1 - t0) / 1e9) / replicas);
      System.out.println(
          label
              + " latency, TaskSet written -> result seen (includes waiting behind the burst): "
              + results.percentiles());
      System.out.println(label + " " + cpu.perTask(total));
      System.out.printf(
          Locale.ROOT,
          "%s %s; user-mode share of agent:tasks CPU %.2f; agent:tasks allocated per task %.1f KiB%n",
          label,
          cpu.switchesPerTask("agent:tasks", total),
          cpu.userShare("agent:tasks"),
          cpu.allocatedKiBPerTask("agent:tasks", total));
      results.reset();
    }

    // 2. paced
    List<String> names = new ArrayList<>();
    for (int w = 0; w < 100; w++) {
      names.add("paced-" + w);
      create(controller, "paced-" + w, Map.of());
    }
    ExecutorService writers = Executors.newFixedThreadPool(4);
    AtomicInteger next = new AtomicInteger();
    long intervalNanos = 1_000_000_000L / pacedRate;
    long start = System.nanoTime();
    CountDownLatch issued = new CountDownLatch(pacedTasks);
    ThreadCpu pacedCpu = new ThreadCpu();
    for (int i = 0; i < pacedTasks; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0)
        TimeUnit.NANOSECONDS.sleep(wait); // pacing the writer (open loop), not ordering events
      writers.execute(
          () -> {
            int n = next.getAndIncrement();
            String wf = names.get(n % names.size());
            String id = "paced-" + n;
            addTask(controller, wf, id, HELLO);
            results.expect(wf + "/" + id, System.nanoTime());
            issued.countDown();
          });
    }
    issued.await();
    long achieved = pacedTasks * 1_000_000_000L / Math.max(1, System.nanoTime() - start);
    results.await(pacedTasks, Duration.ofMinutes(5));
    System.out.printf(
        Locale.ROOT,
        "paced: %d tasks at %d/s asked (%d/s written); task patch accepted -> result seen: %s%n",
        pacedTasks,
        pacedRate,
        achieved,
        results.percentiles());
    System.out.println("paced " + pacedCpu.perTask(pacedTasks));
    for (int r = 0; r < agents.size(); r++) {
      System.out.println("replica-" + r + " " + summary(agents.get(r).scrape()));
    }
    writers.shutdown();
    watch.close();
    for (Agent a : agents) a.close();
    for (KubernetesClient c : clients) c.close();

    // the floor, in this JVM: the same execute in a plain loop on as many threads as one replica
    // has workers, with the pool stopped
    for (int round = 1; round <= 2; round++) {
      Profile profile = Profile.start("in-loop" + round);
      System.out.println(
          "in-loop execute, round "
              + round
              + ": "
              + InLoop.run(runtime, modules, total, Runtime.getRuntime().availableProcessors()));
      profile.stop();
    }

    // 3. the sidecar path
    SidecarLoad.run(modules, total);
    runtime.close();
    controller.close();
    server.destroy();
    System.exit(0);
  }

  static void create(KubernetesClient c, String wf, Map<String, String> tasks) {
    StringBuilder t = new StringBuilder();
    tasks.forEach(
        (id, tpl) ->
            t.append(t.length() == 0 ? "" : ",").append('"').append(id).append("\":").append(tpl));
    String json =
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"WorkflowTaskSet\",\"metadata\":{\"name\":\""
            + wf
            + "\",\"namespace\":\"argo\","
            + "\"ownerReferences\":[{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Workflow\",\"name\":\""
            + wf
            + "\",\"uid\":\""
            + UUID.randomUUID()
            + "\"}]},\"spec\":{\"tasks\":{"
            + t
            + "}}}";
    c.genericKubernetesResources(TASK_SETS)
        .inNamespace("argo")
        .resource(Serialization.unmarshal(json, GenericKubernetesResource.class))
        .create();
  }

  static void addTask(KubernetesClient c, String wf, String id, String tpl) {
    c.genericKubernetesResources(TASK_SETS)
        .inNamespace("argo")
        .withName(wf)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/spec/tasks/" + id + "\",\"value\":" + tpl + "}]");
  }

  /** Final results as a watch sees them, against when each task was written. */
  static final class Results implements Watcher<GenericKubernetesResource> {
    final Map<String, Long> written = new ConcurrentHashMap<>();
    final Map<String, Long> seen = new ConcurrentHashMap<>();
    final AtomicInteger done = new AtomicInteger();
    final AtomicLong lastNanos = new AtomicLong();

    void expect(String key, long nanos) {
      written.put(key, nanos);
    }

    void reset() {
      written.clear();
      seen.clear();
      done.set(0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void eventReceived(Action action, GenericKubernetesResource r) {
      long now = System.nanoTime();
      Object status = r.getAdditionalProperties().get("status");
      if (!(status instanceof Map)) return;
      Object nodes = ((Map<String, Object>) status).get("nodes");
      if (!(nodes instanceof Map)) return;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) nodes).entrySet()) {
        if (!(e.getValue() instanceof Map)) continue;
        Object phase = ((Map<String, Object>) e.getValue()).get("phase");
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase) && !"Error".equals(phase))
          continue;
        String key = r.getMetadata().getName() + "/" + e.getKey();
        if (seen.putIfAbsent(key, now) == null) {
          done.incrementAndGet();
          lastNanos.set(now);
        }
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      System.err.println("the results watch closed: " + cause);
    }

    void await(int n, Duration timeout) throws InterruptedException {
      long until = System.nanoTime() + timeout.toNanos();
      while (done.get() < n) {
        if (System.nanoTime() > until)
          throw new IllegalStateException(
              "only " + done.get() + " of " + n + " results within " + timeout);
        Thread.sleep(5);
      }
    }

    String percentiles() {
      List<Long> l = new ArrayList<>();
      for (var e : seen.entrySet()) {
        Long w = written.get(e.getKey());
        if (w != null) l.add(Math.max(0, e.getValue() - w));
      }
      return percentiles(l);
    }

    static String percentiles(List<Long> nanos) {
      long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (a.length == 0) return "(none)";
      return String.format(
          Locale.ROOT,
          "n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
          a.length,
          a[(int) (a.length * 0.50)] / 1e6,
          a[(int) (a.length * 0.90)] / 1e6,
          a[Math.min(a.length - 1, (int) (a.length * 0.99))] / 1e6,
          a[a.length - 1] / 1e6);
    }
  }

  /** The agent's own histogram and counters, from its Prometheus text. */
  static String summary(String prom) {
    StringBuilder out = new StringBuilder();
    for (String line : prom.split("\n")) {
      if (line.startsWith("weft_agent_tasks_total{phase=\"Succeeded\"}")
          || line.startsWith("weft_agent_status_patches_total")
          || line.startsWith("weft_agent_seen_to_patched_seconds_count")
          || line.startsWith("weft_agent_seen_to_patched_seconds_sum")
          || line.startsWith("weft_agent_api_errors_total")
          || line.startsWith("weft_agent_tasks_deferred_total")) {
        out.append(line).append("; ");
      }
    }
    return out.toString();
  }
}
