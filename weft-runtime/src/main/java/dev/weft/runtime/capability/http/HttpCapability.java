package dev.weft.runtime.capability.http;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.weft.runtime.capability.Capability;
import dev.weft.runtime.capability.CapabilityKind;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Outbound HTTP through the {@code wasi_experimental_http} host ABI of
 * deislabs/wasi-experimental-http, so modules built for it run unmodified. Requests (and every
 * redirect hop) must match an {@link AllowedUrl}; the host is resolved once, every address it
 * resolves to must not be link-local or a cloud metadata address unless an entry names it, and the
 * connection goes to one of those checked addresses (no second lookup to rebind); connect and total
 * timeouts; a response size cap; at most {@code maxConcurrentRequests} open responses.
 */
public record HttpCapability(
    List<AllowedUrl> allowed,
    int maxConcurrentRequests,
    Duration connectTimeout,
    Duration totalTimeout,
    long maxResponseBytes,
    int maxRedirects,
    HostResolver resolver)
    implements Capability {

  public static final String MODULE = "wasi_experimental_http";
  public static final int DEFAULT_MAX_CONCURRENT = 8;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L << 20;
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  /** A grant resolving host names with the JVM's resolver. */
  public HttpCapability(
      List<AllowedUrl> allowed,
      int maxConcurrentRequests,
      Duration connectTimeout,
      Duration totalTimeout,
      long maxResponseBytes,
      int maxRedirects) {
    this(
        allowed,
        maxConcurrentRequests,
        connectTimeout,
        totalTimeout,
        maxResponseBytes,
        maxRedirects,
        HostResolver.SYSTEM);
  }

  public HttpCapability {
    allowed = List.copyOf(allowed);
    java.util.Objects.requireNonNull(resolver, "resolver");
    if (maxConcurrentRequests < 1)
      throw new IllegalArgumentException(
          "max_concurrent_requests must be at least 1, not " + maxConcurrentRequests);
    if (maxResponseBytes < 0 || maxResponseBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxResponseBytes must be between 0 and 2 GiB, not " + maxResponseBytes);
    }
  }

  /** HTTP to these URLs with the default limits. */
  public static HttpCapability allowing(List<String> urls, int maxConcurrentRequests) {
    return new HttpCapability(
        urls.stream().map(AllowedUrl::parse).toList(),
        maxConcurrentRequests,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_TOTAL_TIMEOUT,
        DEFAULT_MAX_RESPONSE_BYTES,
        DEFAULT_MAX_REDIRECTS);
  }

  /** Same grant with other limits. */
  public HttpCapability withLimits(Duration connect, Duration total, long maxBytes) {
    return new HttpCapability(
        allowed, maxConcurrentRequests, connect, total, maxBytes, maxRedirects, resolver);
  }

  /**
   * Same grant resolving host names with {@code resolver} (once per request and redirect hop; the
   * connection goes to an address it returned and that was checked).
   */
  public HttpCapability withResolver(HostResolver resolver) {
    return new HttpCapability(
        allowed,
        maxConcurrentRequests,
        connectTimeout,
        totalTimeout,
        maxResponseBytes,
        maxRedirects,
        resolver);
  }

  /** Same limits with other allowed URLs. */
  public HttpCapability withAllowed(List<AllowedUrl> urls) {
    return new HttpCapability(
        urls,
        maxConcurrentRequests,
        connectTimeout,
        totalTimeout,
        maxResponseBytes,
        maxRedirects,
        resolver);
  }

  /** What a task without the grant gets: the ABI links, and every request is refused (error 7). */
  public static HttpCapability denyAll() {
    return new HttpCapability(List.of(), 1, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, 0, 0);
  }

  /**
   * The kind: the ABI's five functions, linked into every module; without a grant each request is
   * refused.
   */
  public static final CapabilityKind KIND =
      new CapabilityKind() {
        @Override
        public String name() {
          return "http";
        }

        @Override
        public Map<String, FunctionType> imports() {
          return SIGNATURES;
        }

        @Override
        public java.util.Optional<Capability> denyAll() {
          return java.util.Optional.of(HttpCapability.denyAll());
        }

        @Override
        public String toString() {
          return "capability http (" + MODULE + ")";
        }
      };

  @Override
  public CapabilityKind kind() {
    return KIND;
  }

  @Override
  public boolean restartable() {
    return false; // requests are side effects outside the sandbox
  }

  @Override
  public Session open(String moduleName) {
    return new HttpSession(this, moduleName);
  }

  private static final Map<String, FunctionType> SIGNATURES =
      Map.of(
          MODULE + ".req", i32s(10),
          MODULE + ".close", i32s(1),
          MODULE + ".header_get", i32s(6),
          MODULE + ".headers_get_all", i32s(4),
          MODULE + ".body_read", i32s(4));

  static FunctionType i32s(int params) {
    return FunctionType.of(Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
  }
}
