package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.NodeResult;
import dev.weft.expr.Expr;
import dev.weft.expr.ExpressionException;
import dev.weft.runtime.capability.http.HostResolver;
import dev.weft.runtime.capability.http.PinnedClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Argo's {@code http:} templates, with the semantics of Argo's agent (workflow/executor/agent.go):
 * method (GET when empty), url, headers (values literal or from a Secret in the workflow's
 * namespace; {@code Host} rewrites the host), {@code body} or {@code bodyFrom.bytes}, {@code
 * timeoutSeconds} for the whole exchange, redirects followed, {@code insecureSkipVerify}; {@code
 * outputs.result} is the body; success is a 2xx status, or {@code successCondition} (expr, over
 * {@code request} and {@code response.statusCode/body/headers}) when given.
 *
 * <p>weft adds an outbound policy ({@link HttpPolicy}, docs/cluster.md): every URL, including each
 * redirect, is checked before it is requested, its host resolved once, and the request (Apache
 * HttpClient 5 through {@link PinnedClient}, HTTP/1.1) connects only to the addresses checked, the
 * name kept for the {@code Host} header, TLS SNI and the certificate check.
 */
final class HttpTemplates {
  private static final int MAX_REDIRECTS = 10;
  private static final Set<String> SENSITIVE =
      Set.of("authorization", "www-authenticate", "cookie", "cookie2", "proxy-authorization");

  /**
   * Reads one key of a Secret in a namespace; the message of a failure names the Secret and key,
   * never a value.
   */
  interface SecretReader {
    String read(String namespace, String name, String key) throws IOException;
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final HttpPolicy policy;
  private final SecretReader secrets;
  private final HostResolver resolver;

  /**
   * Where exchanges run, so that the task's thread can stop waiting when interrupted (a blocking
   * socket read cannot be interrupted; the exchange is aborted instead).
   */
  private final ExecutorService calls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "weft-http-template");
            t.setDaemon(true);
            return t;
          });

  HttpTemplates(HttpPolicy policy, SecretReader secrets) {
    this(policy, secrets, HostResolver.SYSTEM);
  }

  /**
   * Templates whose hosts {@code resolver} resolves, once per request and redirect hop: the request
   * connects only to the addresses it returned and the policy passed.
   */
  HttpTemplates(HttpPolicy policy, SecretReader secrets, HostResolver resolver) {
    this.policy = policy;
    this.secrets = secrets;
    this.resolver = resolver;
  }

  /**
   * Runs one {@code http:} template of a workflow in {@code namespace}. Never throws for a bad
   * template.
   */
  NodeResult run(String namespace, JsonNode template) throws InterruptedException {
    JsonNode http = template.path("http");
    String url = http.path("url").asText("");
    String method =
        http.path("method").asText("").isEmpty()
            ? "GET"
            : http.path("method").asText().toUpperCase(Locale.ROOT);
    if (url.isEmpty()) return NodeResult.failed("http.url is required");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return NodeResult.failed("http.url '" + url + "' is not a URL: " + e.getMessage());
    }
    byte[] body;
    if (http.has("bodyFrom")) {
      try {
        body =
            http.path("bodyFrom").hasNonNull("bytes")
                ? Base64.getDecoder().decode(http.path("bodyFrom").path("bytes").asText())
                : new byte[0];
      } catch (IllegalArgumentException e) {
        return NodeResult.failed("http.bodyFrom.bytes is not base64: " + e.getMessage());
      }
    } else {
      body = http.path("body").asText("").getBytes(StandardCharsets.UTF_8);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Optional<String> host = Optional.empty();
    JsonNode hs = http.path("headers");
    for (int i = 0; i < hs.size(); i++) {
      JsonNode h = hs.get(i);
      String name = h.path("name").asText("");
      if (name.isEmpty()) return NodeResult.failed("http.headers[" + i + "].name is required");
      String value = h.path("value").asText("");
      JsonNode ref = h.path("valueFrom").path("secretKeyRef");
      if (ref.isObject()) {
        try {
          value = secrets.read(namespace, ref.path("name").asText(""), ref.path("key").asText(""));
        } catch (IOException e) {
          return NodeResult.failed("http.headers[" + i + "] (" + name + "): " + e.getMessage());
        }
      }
      if (name.equalsIgnoreCase("host")) host = Optional.of(value);
      else headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    Duration timeout =
        http.hasNonNull("timeoutSeconds")
            ? Duration.ofSeconds(http.path("timeoutSeconds").asLong())
            : policy.defaultTimeout();
    boolean insecure = http.path("insecureSkipVerify").asBoolean(false);
    long deadline = System.nanoTime() + timeout.toNanos();

    Reply reply;
    try {
      reply = exchange(method, uri, headers, host, body, insecure, deadline);
    } catch (Refused e) {
      return NodeResult.failed(method + " " + e.uri + " refused: " + e.getMessage());
    } catch (TimeoutException e) {
      return NodeResult.failed(
          method
              + " "
              + url
              + ": no complete answer within "
              + timeout.toSeconds()
              + "s (timeoutSeconds)");
    } catch (IOException e) {
      return NodeResult.failed(method + " " + url + ": " + describe(e));
    }
    ObjectNode outputs = TaskSet.JSON.createObjectNode().put("result", reply.body);
    String condition = http.path("successCondition").asText("");
    if (condition.isEmpty()) {
      if (reply.status < 200 || reply.status > 299) {
        return new NodeResult(
            NodeResult.Phase.Failed,
            "received non-2xx response code: " + reply.status,
            Optional.of(outputs));
      }
      return new NodeResult(NodeResult.Phase.Succeeded, "", Optional.of(outputs));
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("method", method);
    request.put("url", url);
    request.put("body", http.path("body").asText(""));
    request.put("headers", headers);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("statusCode", (long) reply.status);
    response.put("body", reply.body);
    response.put("headers", reply.headers);
    Object ok;
    try {
      ok = Expr.evaluate(condition, Map.of("request", request, "response", response));
    } catch (ExpressionException e) {
      return NodeResult.failed("successCondition '" + condition + "': " + e.getMessage());
    }
    if (!(ok instanceof Boolean)) {
      return NodeResult.failed(
          "successCondition '"
              + condition
              + "' must give true or false, gave "
              + (ok == null ? "nil" : ok));
    }
    if (!(Boolean) ok)
      return new NodeResult(
          NodeResult.Phase.Failed,
          "successCondition '" + condition + "' evaluated false",
          Optional.of(outputs));
    return new NodeResult(NodeResult.Phase.Succeeded, "", Optional.of(outputs));
  }

  private record Reply(int status, Map<String, List<String>> headers, String body) {}

  private static final class Refused extends Exception {
    final URI uri;

    Refused(URI uri, String why) {
      super(why, null, false, false);
      this.uri = uri;
    }
  }

  /**
   * The request, then its redirects (as Go's client: 301/302/303 turn into GET without a body),
   * each checked first.
   */
  private Reply exchange(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      Optional<String> host,
      byte[] body,
      boolean insecure,
      long deadline)
      throws IOException, InterruptedException, TimeoutException, Refused {
    URI at = uri;
    String m = method;
    byte[] b = body;
    Map<String, List<String>> hs = headers;
    for (int hop = 0; ; hop++) {
      HttpPolicy.Checked checked = policy.check(at, resolver);
      if (checked.denied().isPresent()) throw new Refused(at, checked.denied().get());
      if (checked.addresses().length == 0) throw new IOException("unknown host " + at.getHost());
      if (deadline - System.nanoTime() <= 0) throw new TimeoutException();
      List<String[]> sent = new ArrayList<>();
      try { // the JDK's rules for request headers, as before: Host, Content-Length, ... refused
        HttpRequest.Builder probe = HttpRequest.newBuilder();
        for (var h : hs.entrySet()) {
          for (String v : h.getValue()) {
            probe.header(h.getKey(), v);
            sent.add(new String[] {h.getKey(), v});
          }
        }
        if (hop == 0 && host.isPresent()) probe.header("Host", host.get());
      } catch (IllegalArgumentException e) {
        throw new IOException("header not accepted: " + e.getMessage(), e);
      }
      PinnedClient.Answer r = send(at, checked.addresses(), m, sent, b, insecure, deadline);
      int s = r.status();
      Optional<String> location =
          r.headers().getOrDefault("location", List.of()).stream().findFirst();
      if (!(s == 301 || s == 302 || s == 303 || s == 307 || s == 308) || location.isEmpty()) {
        return new Reply(s, goHeaders(r.headers()), new String(r.body(), StandardCharsets.UTF_8));
      }
      if (hop + 1 >= MAX_REDIRECTS)
        throw new IOException("stopped after " + MAX_REDIRECTS + " redirects");
      URI next = at.resolve(location.get());
      if (s == 301 || s == 302 || s == 303) {
        if (!m.equals("GET") && !m.equals("HEAD")) m = "GET";
        b = new byte[0];
      }
      if (!Objects.equals(
          next.getHost(), at.getHost())) { // as Go: credentials do not follow to another host
        Map<String, List<String>> kept = new LinkedHashMap<>();
        hs.forEach(
            (k, v) -> {
              if (!SENSITIVE.contains(k.toLowerCase(Locale.ROOT))) kept.put(k, v);
            });
        hs = kept;
      }
      at = next;
    }
  }

  /**
   * One exchange with the checked addresses, on a thread of {@link #calls}; an interrupt aborts it.
   */
  private PinnedClient.Answer send(
      URI uri,
      InetAddress[] addresses,
      String method,
      List<String[]> headers,
      byte[] body,
      boolean insecure,
      long deadline)
      throws IOException, InterruptedException, TimeoutException {
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicReference<Runnable> abort = new AtomicReference<>(() -> {});
    Future<PinnedClient.Answer> f =
        calls.submit(
            () ->
                PinnedClient.exchange(
                    uri,
                    addresses,
                    method,
                    headers,
                    body,
                    CONNECT_TIMEOUT,
                    deadline,
                    policy.maxBodyBytes(),
                    !insecure,
                    a -> {
                      abort.set(a);
                      if (stopped.get()) a.run();
                    }));
    try {
      return f.get(); // the exchange ends by its deadline
    } catch (InterruptedException e) {
      stopped.set(true);
      abort.get().run();
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof TimeoutException) throw new TimeoutException();
      if (c instanceof PinnedClient.TooLarge)
        throw new IOException(
            "response body larger than " + policy.maxBodyBytes() + " bytes (--http-max-body)");
      if (c instanceof IOException io) throw io;
      throw new IOException(String.valueOf(c), c);
    }
  }

  /** Header names as Go's {@code http.Header} keys them ({@code Content-Type}), values in order. */
  static Map<String, List<String>> goHeaders(Map<String, List<String>> in) {
    Map<String, List<String>> out = new TreeMap<>();
    in.forEach(
        (k, v) -> {
          if (k.startsWith(":")) return; // HTTP/2 pseudo-headers
          StringBuilder c = new StringBuilder(k.length());
          boolean upper = true;
          for (char ch : k.toCharArray()) {
            c.append(upper ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            upper = ch == '-';
          }
          out.computeIfAbsent(c.toString(), x -> new ArrayList<>()).addAll(v);
        });
    return out;
  }

  private static String describe(IOException e) {
    String msg = e.getMessage();
    if (e instanceof java.net.ConnectException)
      return "connection refused" + (msg == null ? "" : " (" + msg + ")");
    if (e instanceof javax.net.ssl.SSLHandshakeException)
      return "TLS handshake failed: " + msg + " (insecureSkipVerify: true skips verification)";
    return msg == null ? e.getClass().getSimpleName() : msg;
  }
}
