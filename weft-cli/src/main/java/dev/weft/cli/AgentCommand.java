package dev.weft.cli;

import dev.weft.agent.Agent;
import dev.weft.agent.AgentConfig;
import dev.weft.agent.HttpPolicy;
import dev.weft.runtime.Limits;
import dev.weft.runtime.capability.http.AllowedUrl;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft agent}: the shared pool that runs the plugin: wasm: and http: tasks of Argo's
 * WorkflowTaskSets.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the plugin: wasm: and http: tasks of Argo's WorkflowTaskSets, for a workflow controller with",
      "disableAgentPodCreation (Argo v4.1+): one long-lived pool instead of an agent pod per workflow (docs/cluster.md)."
    },
    subcommands = {AgentCommand.Manifest.class})
final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "Serve this namespace's TaskSets (repeatable; default: all namespaces).")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description = "The workflow controller's instance ID, if it runs with one.")
  String instanceId;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, else the pod's service account).")
  Path kubeconfig;

  @Option(
      names = "--identity",
      paramLabel = "NAME",
      description =
          "This replica's name, unique in the pool (default: $POD_NAME, else the host name).")
  String identity;

  @Option(
      names = "--lease-namespace",
      paramLabel = "NS",
      description =
          "Where replicas keep their Leases (default: $POD_NAMESPACE, else the kubeconfig's namespace).")
  String leaseNamespace;

  @Option(names = "--no-leases", description = "Run as the only replica, without Leases.")
  boolean noLeases;

  @Option(
      names = "--pool",
      paramLabel = "NAME",
      description =
          "The pool's name; replicas with the same name share the work (default weft-agent).")
  String pool = "weft-agent";

  @Option(
      names = "--lease-duration",
      paramLabel = "DURATION",
      description = "A replica not renewing its Lease this long is taken as gone (default 15s).")
  String leaseDuration = "15s";

  @Option(
      names = "--lease-renew",
      paramLabel = "DURATION",
      description = "How often a replica renews its Lease and reads the others' (default 5s).")
  String leaseRenew = "5s";

  @Option(names = "--workers", description = "Tasks run at once (default: number of cores).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--queue",
      description =
          "Tasks waiting for a worker; beyond it tasks stay in their TaskSet (default 256).")
  int queue = 256;

  @Option(
      names = "--patch-delay",
      paramLabel = "DURATION",
      description =
          "How long a result waits for others of its TaskSet before the status patch (default 5ms, at most 100ms).")
  String patchDelay = "5ms";

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, how long running tasks may finish before they are handed back (default 25s).")
  String shutdownGrace = "25s";

  @Option(
      names = "--rescan",
      paramLabel = "DURATION",
      description = "How often every watched TaskSet is looked at again (default 30s).")
  String rescan = "30s";

  @Option(
      names = "--warm-up",
      paramLabel = "DURATION",
      description = "How long to warm up before joining the pool (default 5s; 0 to skip).")
  String warmUp = "5s";

  @Option(
      names = "--bind",
      paramLabel = "HOST",
      description = "Address for /healthz, /readyz and /metrics (default 0.0.0.0).")
  String bind = "0.0.0.0";

  @Option(names = "--port", description = "Port for /healthz, /readyz and /metrics (default 9090).")
  int port = 9090;

  @Option(
      names = "--http-allow",
      paramLabel = "URL",
      description =
          "Only these URLs may be called by http: templates (repeatable; scheme, host, port; *.example.com; default: any).")
  List<String> httpAllow = new ArrayList<>();

  @Option(
      names = "--http-allow-loopback",
      description =
          "Let http: templates call loopback addresses (the agent's own pod; default refused).")
  boolean httpAllowLoopback;

  @Option(
      names = "--http-deny-private",
      description =
          "Refuse private addresses (RFC 1918, fc00::/7) for http: templates (default allowed: cluster services).")
  boolean httpDenyPrivate;

  @Option(
      names = "--http-max-body",
      paramLabel = "SIZE",
      description =
          "Largest http: response body (default 1MiB; it becomes outputs.result in the TaskSet).")
  String httpMaxBody = "1MiB";

  @Mixin StepOptions steps;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    AgentConfig config;
    Config kube;
    try {
      kube = kubeConfig();
      config = config(kube, err);
    } catch (IllegalArgumentException e) {
      err.println("weft agent: " + e.getMessage());
      return Main.USAGE;
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kube).build();
    Agent agent;
    try {
      agent = Agent.start(client, config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("weft agent: " + e.getMessage());
      client.close();
      return 1;
    }
    spec.commandLine()
        .getOut()
        .println(
            "weft agent: "
                + config.identity()
                + " running; /healthz, /readyz, /metrics on "
                + config.opsHost()
                + ":"
                + agent.opsPort());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close(); // SIGTERM: finish or hand back running tasks, then leave the pool
                  client.close();
                  stopped.countDown();
                },
                "weft-agent-shutdown"));
    stopped.await();
    return 0;
  }

  private Config kubeConfig() {
    if (kubeconfig == null) return Config.autoConfigure(null);
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--kubeconfig " + kubeconfig + " cannot be read: " + e.getMessage());
    }
  }

  private AgentConfig config(Config kube, PrintWriter err) throws IOException {
    String id =
        identity != null
            ? identity
            : Optional.ofNullable(System.getenv("POD_NAME"))
                .filter(s -> !s.isBlank())
                .orElseGet(AgentCommand::hostName);
    AgentConfig.Coordination coordination;
    if (noLeases) {
      coordination = AgentConfig.Coordination.none();
    } else {
      String ns =
          leaseNamespace != null
              ? leaseNamespace
              : Optional.ofNullable(System.getenv("POD_NAMESPACE"))
                  .filter(s -> !s.isBlank())
                  .orElse(kube.getNamespace());
      if (ns == null || ns.isBlank())
        throw new IllegalArgumentException(
            "no namespace for the Leases: give --lease-namespace NS, or --no-leases for a single replica");
      coordination =
          AgentConfig.Coordination.leases(
              ns,
              pool,
              Limits.parseDuration("--lease-duration", leaseDuration),
              Limits.parseDuration("--lease-renew", leaseRenew));
    }
    List<AllowedUrl> allow = new ArrayList<>();
    for (String u : httpAllow) {
      try {
        allow.add(AllowedUrl.parse(u));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--http-allow " + u + ": " + e.getMessage());
      }
    }
    HttpPolicy http =
        new HttpPolicy(
            allow,
            httpAllowLoopback,
            !httpDenyPrivate,
            Limits.parseBytes("--http-max-body", httpMaxBody),
            steps.taskTimeout());
    return new AgentConfig(
        namespaces,
        Optional.ofNullable(instanceId),
        id,
        coordination,
        workers,
        queue,
        Limits.parseDuration("--patch-delay", patchDelay),
        Limits.parseDuration("--shutdown-grace", shutdownGrace),
        Limits.parseDuration("--rescan", rescan),
        Limits.parseDuration("--warm-up", warmUp),
        bind,
        port,
        http,
        steps.settings("weft agent", err));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
    } catch (IOException e) {
      return "weft-agent";
    }
  }

  /** {@code weft agent manifest}: the Kubernetes manifests that install the pool. */
  @Command(
      name = "manifest",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the manifests that install weft agent (ServiceAccount, RBAC, Deployment, metrics Service), from manifests/agent;",
        "apply them in Argo's namespace, and set disableAgentPodCreation in the workflow controller's ConfigMap (--controller)."
      })
  static final class Manifest implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--cluster",
        description =
            "Serve every namespace (ClusterRole) instead of the install namespace only (Role).")
    boolean cluster;

    @Option(
        names = "--controller",
        description =
            "Print the workflow controller settings instead (disableAgentPodCreation, DEFAULT_REQUEUE_TIME).")
    boolean controller;

    @Option(
        names = "--image",
        paramLabel = "IMAGE",
        description = "Use this container image instead of the manifest's.")
    String image;

    @Override
    public Integer call() throws IOException {
      String text;
      if (controller) {
        text =
            read("workflow-controller/workflow-controller-configmap.yaml")
                + "---\n"
                + read("workflow-controller/workflow-controller-deployment-patch.yaml");
      } else {
        text = read(cluster ? "cluster-install.yaml" : "namespace-install.yaml");
        if (image != null) text = text.replace("image: " + BUNDLED_IMAGE, "image: " + image);
      }
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    }

    static final String BUNDLED_IMAGE = "ghcr.io/weft-dev/weft:0.1.0";

    static String read(String name) throws IOException {
      try (InputStream in = AgentCommand.class.getResourceAsStream("/agent-manifests/" + name)) {
        if (in == null)
          throw new IllegalStateException(
              "the bundled manifests/agent/" + name + " is missing from the jar");
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
