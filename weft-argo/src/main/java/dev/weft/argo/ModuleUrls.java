package dev.weft.argo;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code module: {http: …}} URLs a front end may fetch: only those under an operator's
 * prefix, and never one whose host is or resolves to a link-local or cloud metadata address
 * (checked before any connection, so a refusal tells nothing about what is there).
 */
final class ModuleUrls {
  private static final String FIELD = "plugin.wasm.module.http.url";

  /** Cloud metadata endpoints that are not link-local (Alibaba; AWS over IPv6). */
  private static final Set<String> METADATA = Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

  private final List<String> allowed;

  ModuleUrls(List<String> allowedPrefixes) {
    this.allowed = List.copyOf(allowedPrefixes);
  }

  /**
   * @throws SpecException naming the URL, the allow-list and the flag that extends it
   */
  void check(URI url) {
    String u = url.toString();
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https"))
      throw new SpecException(FIELD, "must be an http or https URL, got '" + u + "'");
    if (url.getRawUserInfo() != null) throw new SpecException(FIELD, "must not carry credentials");
    if (allowed.stream().noneMatch(p -> under(u, p))) {
      throw new SpecException(
          FIELD,
          "'"
              + u
              + "' is not allowed: weft fetches modules only from URLs under --module-allow-url prefixes (now: "
              + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
              + ")");
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(url.getHost())) {
        if (a.isLinkLocalAddress()
            || a.isAnyLocalAddress()
            || METADATA.contains(a.getHostAddress())) {
          throw new SpecException(
              FIELD,
              "'"
                  + u
                  + "' is refused: its host is the link-local or metadata address "
                  + a.getHostAddress());
        }
      }
    } catch (UnknownHostException e) {
      throw new SpecException(FIELD, "'" + u + "': unknown host " + url.getHost());
    }
  }

  /**
   * A prefix matches at a boundary: {@code http://h:1/m} admits {@code http://h:1/m/x.wasm}, not
   * {@code http://h:1/mx} or {@code http://h:12}.
   */
  private static boolean under(String url, String prefix) {
    if (!url.startsWith(prefix)) return false;
    if (url.length() == prefix.length() || prefix.endsWith("/")) return true;
    char next = url.charAt(prefix.length());
    return next == '/' || next == '?';
  }
}
