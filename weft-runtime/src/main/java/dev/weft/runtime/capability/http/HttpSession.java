package dev.weft.runtime.capability.http;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import dev.weft.runtime.capability.Capability;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One task's HTTP: the ABI's host functions over its open response handles. */
final class HttpSession implements Capability.Session {
  static final int OK = 0,
      INVALID_HANDLE = 1,
      MEMORY_NOT_FOUND = 2,
      MEMORY_ACCESS = 3,
      BUFFER_TOO_SMALL = 4,
      HEADER_NOT_FOUND = 5,
      UTF8 = 6,
      DESTINATION_NOT_ALLOWED = 7,
      INVALID_METHOD = 8,
      INVALID_ENCODING = 9,
      INVALID_URL = 10,
      REQUEST_ERROR = 11,
      RUNTIME_ERROR = 12,
      TOO_MANY_SESSIONS = 13;

  private static final Logger LOG = LoggerFactory.getLogger(HttpSession.class);
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /**
   * Cloud metadata endpoints that are not link-local (Alibaba 100.100.100.200, AWS IPv6
   * fd00:ec2::254).
   */
  private static final Set<String> METADATA = Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

  private static final int MAX_PROBLEMS = 20;

  private record Response(int status, Map<String, List<String>> headers, byte[] body, int[] read) {}

  private final HttpCapability grant;
  private final String module;

  private final Map<Integer, Response> open = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int nextHandle = 1;

  HttpSession(HttpCapability grant, String module) {
    this.grant = grant;
    this.module = module;
  }

  @Override
  public List<HostFunction> hostFunctions() {
    return List.of(
        fn("req", 10, this::req),
        fn("close", 1, (inst, a) -> open.remove((int) a[0]) == null ? INVALID_HANDLE : OK),
        fn("header_get", 6, this::headerGet),
        fn("headers_get_all", 4, this::headersGetAll),
        fn("body_read", 4, this::bodyRead));
  }

  @Override
  public List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    open.clear();
  }

  private interface Call {
    int apply(Instance instance, long[] args);
  }

  private HostFunction fn(String name, int params, Call call) {
    return new HostFunction(
        HttpCapability.MODULE,
        name,
        HttpCapability.i32s(params),
        (inst, args) -> {
          if (inst.memory() == null) return new long[] {MEMORY_NOT_FOUND};
          try {
            return new long[] {call.apply(inst, args)};
          } catch (RuntimeException e) {
            if (e instanceof WasmRuntimeException || e instanceof IndexOutOfBoundsException) {
              return new long[] {MEMORY_ACCESS}; // the guest passed a pointer outside its memory
            }
            throw e;
          }
        });
  }

  private int req(Instance inst, long[] a) {
    Memory mem = inst.memory();
    String url, method, headerText;
    try {
      url = utf8(mem.readBytes((int) a[0], (int) a[1]));
      method = utf8(mem.readBytes((int) a[2], (int) a[3])).toUpperCase(Locale.ROOT);
      headerText = utf8(mem.readBytes((int) a[4], (int) a[5]));
    } catch (CharacterCodingException e) {
      return UTF8;
    }
    byte[] body = mem.readBytes((int) a[6], (int) a[7]);
    if (!METHODS.contains(method)) return INVALID_METHOD;
    URI uri;
    try {
      uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) return INVALID_URL;
    } catch (URISyntaxException e) {
      return INVALID_URL;
    }
    if (open.size() >= grant.maxConcurrentRequests()) {
      problem(
          "http: too many open responses for "
              + url
              + " (max_concurrent_requests "
              + grant.maxConcurrentRequests()
              + ")");
      return TOO_MANY_SESSIONS;
    }
    List<String[]> headers = new ArrayList<>();
    for (String line : headerText.split("\n")) {
      if (line.isBlank()) continue;
      int colon = line.indexOf(':');
      if (colon <= 0) return INVALID_ENCODING;
      headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    try { // the JDK refuses some headers (host, content-length, connection, ...): say which
      HttpRequest.Builder probe = HttpRequest.newBuilder();
      for (String[] h : headers) probe.header(h[0], h[1]);
    } catch (IllegalArgumentException e) {
      problem("http: request to " + url + " refused: " + e.getMessage());
      return INVALID_ENCODING;
    }
    long deadline = System.nanoTime() + grant.totalTimeout().toNanos();
    for (int hop = 0; ; hop++) {
      Checked checked = check(uri);
      if (checked.denied() != null) {
        problem("http: denied " + uri + " (" + checked.denied() + ")");
        return DESTINATION_NOT_ALLOWED;
      }
      if (checked.addresses() == null) {
        problem("http: request to " + uri + " failed: unknown host " + uri.getHost());
        return REQUEST_ERROR;
      }
      Response r;
      try {
        r = send(uri, checked.addresses(), method, headers, body, deadline);
      } catch (TimeoutException e) {
        problem(
            "http: "
                + uri
                + " timed out (total timeout "
                + grant.totalTimeout().toMillis()
                + " ms, connect timeout "
                + grant.connectTimeout().toMillis()
                + " ms)");
        return REQUEST_ERROR;
      } catch (TooLarge e) {
        problem(
            "http: response from "
                + uri
                + " is over the size cap of "
                + grant.maxResponseBytes()
                + " bytes");
        return REQUEST_ERROR;
      } catch (IOException e) {
        problem("http: request to " + uri + " failed: " + e.getMessage());
        return REQUEST_ERROR;
      }
      String location =
          r.headers().getOrDefault("location", List.of()).stream().findFirst().orElse(null);
      if (isRedirect(r.status()) && location != null) {
        if (hop >= grant.maxRedirects()) {
          problem("http: " + url + " redirected more than " + grant.maxRedirects() + " times");
          return REQUEST_ERROR;
        }
        try {
          uri = uri.resolve(new URI(location));
        } catch (URISyntaxException e) {
          problem("http: " + uri + " redirected to an invalid URL");
          return REQUEST_ERROR;
        }
        if (r.status() == 303
            || ((r.status() == 301 || r.status() == 302) && method.equals("POST"))) {
          method = "GET";
          body = new byte[0];
        }
        continue;
      }
      int handle = nextHandle++;
      open.put(handle, r);
      LOG.info(
          "http: module {} {} {} -> {} ({} bytes)",
          module,
          method,
          uri,
          r.status(),
          r.body().length);
      mem.writeShort((int) a[8], (short) r.status());
      mem.writeI32((int) a[9], handle);
      return OK;
    }
  }

  private static boolean isRedirect(int s) {
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  }

  /** A request's destination: why it is refused, or the checked addresses to connect to. */
  private record Checked(String denied, InetAddress[] addresses) {}

  /**
   * Resolves the host once (with the grant's resolver) and checks every address; the request then
   * connects only to those very addresses (the client's resolver answers with them), so a second
   * lookup cannot rebind it. An unknown host is not a refusal: the request fails with its own
   * error.
   */
  private Checked check(URI uri) {
    AllowedUrl match =
        grant.allowed().stream().filter(e -> e.matches(uri)).findFirst().orElse(null);
    if (match == null) {
      return new Checked(
          grant.allowed().isEmpty()
              ? "no HTTP permission granted"
              : "not in the allow-list (scheme, host and port must match)",
          null);
    }
    InetAddress[] addresses;
    try {
      addresses = grant.resolver().resolve(uri.getHost());
    } catch (UnknownHostException e) {
      return new Checked(null, null);
    }
    if (addresses == null || addresses.length == 0) return new Checked(null, null);
    for (InetAddress addr : addresses) {
      boolean special = addr.isLinkLocalAddress() || METADATA.contains(addr.getHostAddress());
      if (special && !match.namesAddress(addr)) {
        return new Checked(
            "resolves to link-local or metadata address "
                + addr.getHostAddress()
                + ", not named in the allow-list",
            null);
      }
    }
    return new Checked(null, addresses.clone());
  }

  private Response send(
      URI uri,
      InetAddress[] addresses,
      String method,
      List<String[]> headers,
      byte[] body,
      long deadline)
      throws IOException, TimeoutException, TooLarge {
    try {
      PinnedClient.Answer a =
          PinnedClient.exchange(
              uri,
              addresses,
              method,
              headers,
              body,
              grant.connectTimeout(),
              deadline,
              grant.maxResponseBytes());
      return new Response(a.status(), a.headers(), a.body(), new int[1]);
    } catch (PinnedClient.TooLarge e) {
      throw new TooLarge();
    }
  }

  private static final class TooLarge extends Exception {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  private int headerGet(Instance inst, long[] a) {
    Response r = open.get((int) a[0]);
    if (r == null) return INVALID_HANDLE;
    Memory mem = inst.memory();
    String name;
    try {
      name = utf8(mem.readBytes((int) a[1], (int) a[2])).toLowerCase(Locale.ROOT);
    } catch (CharacterCodingException e) {
      return UTF8;
    }
    List<String> values = r.headers().get(name);
    if (values == null || values.isEmpty()) return HEADER_NOT_FOUND;
    byte[] v = String.join(", ", values).getBytes(StandardCharsets.UTF_8);
    if (v.length > a[4]) return BUFFER_TOO_SMALL;
    mem.write((int) a[3], v);
    mem.writeI32((int) a[5], v.length);
    return OK;
  }

  private int headersGetAll(Instance inst, long[] a) {
    Response r = open.get((int) a[0]);
    if (r == null) return INVALID_HANDLE;
    StringBuilder sb = new StringBuilder();
    r.headers()
        .forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(':').append(v).append('\n')));
    byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (all.length > a[2]) return BUFFER_TOO_SMALL;
    inst.memory().write((int) a[1], all);
    inst.memory().writeI32((int) a[3], all.length);
    return OK;
  }

  private int bodyRead(Instance inst, long[] a) {
    Response r = open.get((int) a[0]);
    if (r == null) return INVALID_HANDLE;
    int pos = r.read()[0];
    int n = (int) Math.min(a[2], r.body().length - pos);
    if (n > 0) inst.memory().write((int) a[1], r.body(), pos, n);
    r.read()[0] = pos + n;
    inst.memory().writeI32((int) a[3], n);
    return OK;
  }

  private void problem(String line) {
    LOG.info("{} (module {})", line, module);
    if (problems.size() < MAX_PROBLEMS) problems.add(line);
  }

  private static String utf8(byte[] b) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b))
        .toString();
  }
}
