package dev.weft.runtime.capability.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One allow-list entry: a URL whose scheme, host and port must all match a request's (the port
 * defaults per scheme, so {@code https://x} allows neither {@code http://x} nor {@code
 * https://x:8443}). The host may be a wildcard {@code *.example.com}, which matches any subdomain
 * but not {@code example.com} itself. Paths are not compared.
 */
public record AllowedUrl(String scheme, String host, int port) {

  public AllowedUrl {
    scheme = scheme.toLowerCase(Locale.ROOT);
    host = host.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "allowed URL scheme must be http or https, not '" + scheme + "'");
    }
    if (host.isEmpty()) throw new IllegalArgumentException("allowed URL has no host");
    if (port < 1 || port > 65535)
      throw new IllegalArgumentException("allowed URL port " + port + " is out of range");
  }

  /** Parses {@code scheme://host[:port][/path]}; a bare host name is refused, naming the entry. */
  public static AllowedUrl parse(String entry) {
    String s = entry.trim();
    String wildcard = "";
    int star = s.indexOf("://*.");
    if (star > 0) { // URI does not accept '*' in a host: parse the rest, remember the wildcard
      wildcard = "*.";
      s = s.substring(0, star + 3) + s.substring(star + 5);
    }
    try {
      URI u = new URI(s);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException(
            "allowed URL '" + entry + "' must be a full URL like https://api.example.com[:port]");
      }
      return new AllowedUrl(u.getScheme(), wildcard + u.getHost(), effectivePort(u));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "allowed URL '" + entry + "' is not a URL: " + e.getMessage(), e);
    }
  }

  static int effectivePort(URI u) {
    if (u.getPort() != -1) return u.getPort();
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** Whether a request to {@code u} matches this entry's scheme, host and port. */
  public boolean matches(URI u) {
    if (u.getScheme() == null || u.getHost() == null) return false;
    if (!scheme.equals(u.getScheme().toLowerCase(Locale.ROOT)) || port != effectivePort(u))
      return false;
    String h = u.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("*."))
      return h.endsWith(host.substring(1)) && h.length() > host.length() - 1;
    return h.equals(host);
  }

  /**
   * Whether this entry names {@code address} itself (an IP literal), which admits it even when it
   * is link-local.
   */
  boolean namesAddress(InetAddress address) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.startsWith("*.")
        || !(h.contains(":") || h.chars().allMatch(c -> c == '.' || Character.isDigit(c))))
      return false;
    try {
      return InetAddress.getByName(h).equals(address);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Entry as a URL, for messages and audit lines. */
  public String url() {
    return scheme + "://" + host + ":" + port;
  }

  /**
   * Whether this entry is within {@code ceiling}: same scheme and port, host equal or under the
   * ceiling's wildcard.
   */
  public boolean within(AllowedUrl ceiling) {
    if (!scheme.equals(ceiling.scheme) || port != ceiling.port) return false;
    if (ceiling.host.equals(host)) return true;
    if (!ceiling.host.startsWith("*.")) return false;
    String suffix = ceiling.host.substring(1);
    String h = host.startsWith("*.") ? host.substring(1) : host;
    return h.endsWith(suffix) && h.length() > suffix.length();
  }
}
