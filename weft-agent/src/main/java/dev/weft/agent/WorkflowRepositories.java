package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.argo.ArtifactScope;
import dev.weft.argo.ArtifactScopes;
import dev.weft.artifacts.ArtifactRepository;
import dev.weft.artifacts.ArtifactRepository.SecretRef;
import dev.weft.artifacts.RepositoryStores;
import dev.weft.artifacts.S3Store;
import dev.weft.artifacts.SecretSource;
import dev.weft.runtime.capability.http.HostResolver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each workflow's own artifact repository, as Argo resolved it, with its Secrets read in the
 * workflow's namespace: tasks from many namespaces share the pool, and none may use another's
 * repository or credentials (docs/cluster.md, "Security").
 *
 * <p>The repository is {@code status.artifactRepositoryRef.artifactRepository} of the Workflow that
 * owns the TaskSet: the controller writes there the result of its own resolution (the workflow's
 * {@code artifactRepositoryRef}, the namespace's {@code artifact-repositories} ConfigMap, the
 * controller's default) before any node runs, and never changes it. A workflow for which Argo
 * resolved none uses the pool's own repository ({@code --artifact-repository}), if any.
 *
 * <p>Workflows are read once each (by UID, bounded). Stores are shared by every workflow of a
 * namespace with the same repository and reopened after {@link #STORE_TTL}, so a rotated Secret is
 * picked up; a store is closed once its last step is done.
 */
final class WorkflowRepositories implements ArtifactScopes {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowRepositories.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a store's credentials are used before the Secrets are read again. */
  static final Duration STORE_TTL = Duration.ofMinutes(5);

  static final int MAX_WORKFLOWS = 4096;
  static final int MAX_STORES = 256;
  private static final int ATTEMPTS = 4;

  /** Reads a Workflow: {@code GET …/namespaces/<ns>/workflows/<name>}. */
  interface Workflows {
    StatusPatcher.Api.Response workflow(String namespace, String name)
        throws IOException, InterruptedException;
  }

  /** A workflow's repository as resolved: empty when Argo resolved none. */
  private record Resolved(Optional<ArtifactRepository> repository, String origin) {}

  private record StoreKey(String namespace, ArtifactRepository repository) {}

  /** A store and the steps using it. Guarded by the enclosing instance. */
  private static final class Held {
    final S3Store store;
    final long openedAt;
    int leases;
    boolean retired;

    Held(S3Store store, long openedAt) {
      this.store = store;
      this.openedAt = openedAt;
    }
  }

  private final Workflows workflows;
  private final HttpTemplates.SecretReader secrets;
  private final ArtifactScopes pool;
  private final HttpPolicy endpoints;
  private final HostResolver resolver;
  private final LongSupplier nanoTime;
  private final ObjIntConsumer<String> apiErrors;
  private final Map<String, CompletableFuture<Resolved>> byWorkflow =
      new LinkedHashMap<>(64, 0.75f, true);
  private final Map<StoreKey, Held> stores = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  /**
   * @param pool the operator's repository, for workflows Argo resolved none for
   * @param apiErrors counts a failed read of a Workflow (operation, HTTP code or 0)
   * @param endpoints where a repository's endpoint may point: never link-local or metadata
   *     addresses; loopback only when the policy allows it
   */
  WorkflowRepositories(
      Workflows workflows,
      HttpTemplates.SecretReader secrets,
      ArtifactScopes pool,
      HttpPolicy endpoints,
      HostResolver resolver,
      LongSupplier nanoTime,
      ObjIntConsumer<String> apiErrors) {
    this.workflows = workflows;
    this.secrets = secrets;
    this.pool = pool;
    this.endpoints =
        new HttpPolicy(List.of(), endpoints.allowLoopback(), true, 1, Duration.ofSeconds(1));
    this.resolver = resolver;
    this.nanoTime = nanoTime;
    this.apiErrors = apiErrors;
  }

  @Override
  public ArtifactScope open(JsonNode workflowMeta) throws IOException {
    String namespace = workflowMeta.path("namespace").asText("");
    String name = workflowMeta.path("name").asText("");
    String uid = workflowMeta.path("uid").asText("");
    SecretSource namespaceSecrets = new NamespaceSecrets(secrets, namespace);
    Resolved r = resolve(namespace, name, uid);
    if (r.repository().isEmpty()) {
      ArtifactScope own = pool.open(workflowMeta);
      // The pool's repository keeps its own credentials; a step's own Secret references are
      // still read in its namespace, and the pool's ambient credentials are not lent out.
      return new ArtifactScope(
          own.repository(),
          own.store(),
          own.repositorySecrets(),
          namespaceSecrets,
          Optional.empty(),
          own.hasRepository()
              ? "weft agent's own artifact repository, as Argo resolved none for the workflow"
              : "Argo resolved none for the workflow and weft agent has no --artifact-repository",
          own::close);
    }
    Held h = acquire(namespace, r.repository().get(), namespaceSecrets);
    return new ArtifactScope(
        r.repository(),
        Optional.of(h.store),
        namespaceSecrets,
        namespaceSecrets,
        Optional.empty(),
        r.origin(),
        new Runnable() {
          private boolean done;

          @Override
          public void run() {
            if (!done) release(h);
            done = true;
          }
        });
  }

  /**
   * The workflow's repository; a workflow whose steps start together is read once, by the first of
   * them.
   */
  private Resolved resolve(String namespace, String name, String uid) throws IOException {
    if (uid.isEmpty()) return readRepository(namespace, name, uid);
    // Keyed by namespace and name too: a TaskSet's owner UID is only as trustworthy as whoever
    // wrote the TaskSet.
    String key = namespace + "/" + name + "/" + uid;
    CompletableFuture<Resolved> mine = new CompletableFuture<>();
    CompletableFuture<Resolved> first;
    synchronized (this) {
      first = byWorkflow.get(key);
      if (first == null) {
        byWorkflow.put(key, mine);
        if (byWorkflow.size() > MAX_WORKFLOWS) {
          byWorkflow.remove(byWorkflow.keySet().iterator().next());
        }
      }
    }
    if (first != null) {
      try {
        return first.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "interrupted waiting for Workflow " + namespace + "/" + name);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }
    try {
      Resolved r = readRepository(namespace, name, uid);
      mine.complete(r);
      return r;
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        byWorkflow.remove(key, mine); // a failure is not remembered: the next step reads again
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private Resolved readRepository(String namespace, String name, String uid) throws IOException {
    JsonNode wf = read(namespace, name);
    String actual = wf.path("metadata").path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(actual)) {
      throw new IOException(
          "Workflow "
              + namespace
              + "/"
              + name
              + " has UID "
              + actual
              + ", not "
              + uid
              + " (the TaskSet's owner): it was deleted and created again");
    }
    JsonNode ref = wf.path("status").path("artifactRepositoryRef");
    JsonNode repo = ref.path("artifactRepository");
    Resolved r;
    if (repo.isObject() && repo.size() > 0) {
      String origin = origin(ref, namespace);
      ArtifactRepository parsed;
      try {
        parsed = ArtifactRepository.parse(repo.toString(), Optional.empty());
      } catch (IllegalArgumentException e) {
        throw new IOException(origin + ": " + e.getMessage());
      }
      if (parsed.useSdkCreds() && parsed.accessKeySecret().isEmpty()) {
        throw new IOException(
            origin
                + ": s3.useSDKCreds would lend weft agent's own cloud identity to namespace "
                + namespace
                + "; give the repository accessKeySecret and secretKeySecret");
      }
      checkEndpoint(parsed, origin);
      r = new Resolved(Optional.of(parsed), "the workflow's artifact repository, " + origin);
    } else {
      r = new Resolved(Optional.empty(), "");
    }
    return r;
  }

  /** Argo's resolution, named as a user would look for it. */
  private static String origin(JsonNode ref, String namespace) {
    if (ref.path("default").asBoolean(false)) {
      return "the controller's default (workflow-controller-configmap artifactRepository)";
    }
    return "ConfigMap "
        + ref.path("namespace").asText(namespace)
        + "/"
        + ref.path("configMap").asText("artifact-repositories")
        + " key '"
        + ref.path("key").asText("")
        + "'";
  }

  /** The repository's endpoint comes from a namespace's ConfigMap: it may not point at the pool. */
  private void checkEndpoint(ArtifactRepository repo, String origin) throws IOException {
    String e = repo.endpoint();
    URI u;
    try {
      u = URI.create((e.contains("://") ? "" : repo.insecure() ? "http://" : "https://") + e + "/");
    } catch (IllegalArgumentException bad) {
      throw new IOException(origin + ": s3.endpoint " + e + " is not a host:port or URL");
    }
    HttpPolicy.Checked c = endpoints.check(u, resolver);
    if (c.denied().isPresent()) {
      throw new IOException(origin + ": s3.endpoint " + e + " is refused: " + c.denied().get());
    }
  }

  /**
   * The endpoint's addresses for one connection, checked again: the S3 client connects only to
   * these, so a name whose DNS answer changes after {@link #checkEndpoint} (rebinding) cannot send
   * a tenant's requests to the pool's own pod or a metadata service.
   */
  private java.net.InetAddress[] pinnedAddresses(String host) throws java.net.UnknownHostException {
    URI u;
    try {
      u = new URI("http", null, host, -1, "/", null, null);
    } catch (java.net.URISyntaxException e) {
      throw new java.net.UnknownHostException(host + ": not a host name");
    }
    HttpPolicy.Checked c = endpoints.check(u, resolver);
    if (c.denied().isPresent()) {
      throw new java.net.UnknownHostException(
          "s3.endpoint host " + host + " is refused: " + c.denied().get());
    }
    if (c.addresses().length == 0) throw new java.net.UnknownHostException(host);
    return c.addresses();
  }

  /** GET with retries on 429, 5xx and I/O errors (backoff with jitter, as status patches). */
  private JsonNode read(String namespace, String name) throws IOException {
    String what = "Workflow " + namespace + "/" + name;
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) pause(StatusPatcher.backoff(attempt - 1), what);
      StatusPatcher.Api.Response r;
      try {
        r = workflows.workflow(namespace, name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted reading " + what);
      } catch (IOException e) {
        apiErrors.accept("get-workflow", 0);
        last = new IOException("cannot read " + what + ": " + e.getMessage(), e);
        continue;
      }
      if (r.code() == 200) {
        try {
          return JSON.readTree(r.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
      }
      apiErrors.accept("get-workflow", r.code());
      if (r.code() == 404) throw new IOException(what + " not found (deleted?)");
      if (r.code() == 403) {
        throw new IOException(
            "cannot read "
                + what
                + " (HTTP 403): weft agent's role needs get on workflows.argoproj.io in this namespace");
      }
      last = new IOException("cannot read " + what + " (HTTP " + r.code() + ")");
      if (r.code() != 429 && r.code() < 500) throw last;
    }
    throw last;
  }

  private static void pause(long millis, String what) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted reading " + what);
    }
  }

  private Held acquire(String namespace, ArtifactRepository repo, SecretSource s)
      throws IOException {
    StoreKey key = new StoreKey(namespace, repo);
    synchronized (this) {
      Held h = usable(key);
      if (h != null) {
        h.leases++;
        return h;
      }
    }
    // Opened outside the lock: it reads Secrets through the API, and other steps go on meanwhile.
    S3Store opened =
        RepositoryStores.open(repo, s, Optional.empty(), Optional.of(this::pinnedAddresses));
    List<S3Store> toClose = new ArrayList<>();
    Held h;
    synchronized (this) {
      h = usable(key);
      if (h != null || closed) {
        toClose.add(opened); // another step opened it first, or the pool is closing
        if (h == null) {
          closeAll(toClose);
          throw new IOException("weft agent is shutting down");
        }
      } else {
        h = new Held(opened, nanoTime.getAsLong());
        stores.put(key, h);
        LOG.info("artifact repository {} for namespace {}", opened.describe(), namespace);
        while (stores.size() > MAX_STORES) {
          var eldest = stores.entrySet().iterator().next();
          stores.remove(eldest.getKey());
          retire(eldest.getValue(), toClose);
        }
      }
      h.leases++;
    }
    closeAll(toClose);
    return h;
  }

  /** The held store for the key if it is still fresh; a stale one is retired. Caller locks. */
  private Held usable(StoreKey key) {
    Held h = stores.get(key);
    if (h == null) return null;
    if (nanoTime.getAsLong() - h.openedAt > STORE_TTL.toNanos()) {
      stores.remove(key);
      List<S3Store> toClose = new ArrayList<>();
      retire(h, toClose);
      closeAll(toClose); // only an unleased store, whose close does no I/O
      return null;
    }
    return h;
  }

  private static void retire(Held h, List<S3Store> toClose) {
    h.retired = true;
    if (h.leases == 0) toClose.add(h.store);
  }

  private void release(Held h) {
    boolean close;
    synchronized (this) {
      h.leases--;
      close = h.retired && h.leases == 0;
    }
    if (close) h.store.close();
  }

  /** Stores open now, for tests. */
  synchronized int openStores() {
    return stores.size();
  }

  @Override
  public void close() {
    List<S3Store> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Held h : stores.values()) retire(h, toClose);
      stores.clear();
      byWorkflow.clear();
    }
    closeAll(toClose);
    pool.close();
  }

  private static void closeAll(List<S3Store> stores) {
    for (S3Store s : stores) s.close();
  }

  /** Secrets of one namespace, through the API. */
  private record NamespaceSecrets(HttpTemplates.SecretReader reader, String namespace)
      implements SecretSource {
    @Override
    public String read(SecretRef ref) throws IOException {
      return reader.read(namespace, ref.name(), ref.key());
    }
  }
}
