package dev.weft.agent;

import dev.weft.runtime.capability.http.AllowedUrl;
import dev.weft.runtime.capability.http.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where {@code http:} templates may go (docs/cluster.md, "Outbound policy"). Every URL, each
 * redirect included, is checked before it is requested; the host is resolved once and every address
 * it resolves to must pass, and the request connects only to those addresses.
 *
 * @param allow if not empty, the only URLs allowed (scheme, host and port; {@code *.example.com}
 *     wildcards)
 * @param allowLoopback whether loopback addresses (the agent's own pod) may be reached
 * @param allowPrivate whether private addresses (RFC 1918, fc00::/7: cluster services) may be
 *     reached
 * @param maxBodyBytes the largest response body read; a larger one fails the node
 * @param defaultTimeout the limit when a template gives no {@code timeoutSeconds}
 */
public record HttpPolicy(
    List<AllowedUrl> allow,
    boolean allowLoopback,
    boolean allowPrivate,
    long maxBodyBytes,
    Duration defaultTimeout) {
  /** Cloud metadata endpoints that are not link-local (Alibaba, AWS over IPv6). */
  private static final Set<String> METADATA = Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

  public HttpPolicy {
    allow = List.copyOf(allow);
    if (maxBodyBytes < 1)
      throw new IllegalArgumentException("--http-max-body must be positive, got " + maxBodyBytes);
    if (defaultTimeout.isNegative() || defaultTimeout.isZero())
      throw new IllegalArgumentException(
          "the default http: timeout must be positive, got " + defaultTimeout);
  }

  /**
   * Any public or private destination; never loopback, link-local or metadata; 1 MiB bodies; 60 s.
   */
  public static HttpPolicy defaults() {
    return new HttpPolicy(List.of(), false, true, 1L << 20, Duration.ofSeconds(60));
  }

  public HttpPolicy allowingLoopback() {
    return new HttpPolicy(allow, true, allowPrivate, maxBodyBytes, defaultTimeout);
  }

  /**
   * A URL checked: why it is refused, or the addresses its host resolved to (once), every one of
   * which passed and to which alone the request may connect; no addresses for an unknown host.
   */
  record Checked(Optional<String> denied, InetAddress[] addresses) {
    static Checked refused(String why) {
      return new Checked(Optional.of(why), new InetAddress[0]);
    }
  }

  /**
   * Checks the URL, resolving its host once with {@code resolver}; the request then connects only
   * to the addresses returned, so a DNS answer that changes after the check (rebinding) is never
   * connected to.
   */
  Checked check(URI uri, HostResolver resolver) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https"))
      return Checked.refused("only http and https URLs are allowed");
    if (uri.getHost() == null) return Checked.refused("the URL has no host");
    AllowedUrl match = allow.stream().filter(e -> e.matches(uri)).findFirst().orElse(null);
    if (!allow.isEmpty() && match == null) {
      return Checked.refused(
          "not in weft agent's allow-list "
              + allow.stream().map(AllowedUrl::url).toList()
              + " (--http-allow)");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(uri.getHost());
    } catch (UnknownHostException e) {
      addresses = null;
    }
    if (addresses == null || addresses.length == 0) { // the request fails with its own error
      return new Checked(Optional.empty(), new InetAddress[0]);
    }
    for (InetAddress a : addresses) {
      boolean named =
          match != null
              && !match.host().startsWith("*.")
              && match.host().replaceAll("^\\[|]$", "").equalsIgnoreCase(a.getHostAddress());
      if (named) continue;
      if (a.isLinkLocalAddress() || METADATA.contains(a.getHostAddress())) {
        return Checked.refused(
            "resolves to link-local or metadata address "
                + a.getHostAddress()
                + " (refused unless --http-allow names the address)");
      }
      if ((a.isLoopbackAddress() || a.isAnyLocalAddress()) && !allowLoopback) {
        return Checked.refused(
            "resolves to loopback address "
                + a.getHostAddress()
                + ", which is weft agent's own pod (--http-allow-loopback)");
      }
      if ((a.isSiteLocalAddress() || isUniqueLocal(a)) && !allowPrivate) {
        return Checked.refused(
            "resolves to private address "
                + a.getHostAddress()
                + " (refused by --http-deny-private)");
      }
    }
    return new Checked(Optional.empty(), addresses.clone());
  }

  private static boolean isUniqueLocal(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 16 && (b[0] & 0xfe) == 0xfc;
  }
}
