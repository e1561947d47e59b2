package dev.weft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.runtime.ModuleFetchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's HTTP side for {@link RegistryClient}: plain HTTP only for registries listed as
 * insecure, the auth challenge answered once (bearer token from the token service, or basic) and
 * tokens kept per registry and scope, bounded response bodies, errors naming registry and status.
 */
final class RegistryHttp {
  /** A response body larger than this is refused (a module is at most 128 MiB). */
  private static final long MAX_BODY_BYTES = 128L << 20;

  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http;
  private final Set<String> insecure;
  private final Credentials credentials;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  /** Bearer tokens by registry and scope, so a pull asks the token service once. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  RegistryHttp(HttpClient http, Set<String> insecure, Credentials credentials, Duration timeout) {
    this.http = http;
    this.insecure = insecure;
    this.credentials = credentials;
    this.timeout = timeout;
  }

  /** Sends a request, answering the registry's auth challenge once (token or basic). */
  HttpResponse<byte[]> send(ImageRef ref, String action, HttpRequest.Builder request) {
    return send(ref, action, request, null);
  }

  HttpResponse<byte[]> send(
      ImageRef ref,
      String action,
      HttpRequest.Builder request,
      java.util.function.LongConsumer reading) {
    String scope =
        "repository:" + ref.repository() + ":" + (action.equals("push") ? "pull,push" : "pull");
    String key = ref.registry() + " " + scope;
    String auth = tokens.get(key);
    HttpRequest.Builder first = request.copy().timeout(timeout);
    if (auth != null) first.header("Authorization", auth);
    HttpResponse<byte[]> r = exchange(ref, first.build(), reading);
    if (r.statusCode() != 401) return r;
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    auth = authorize(ref, challenge, scope);
    tokens.put(key, auth);
    HttpResponse<byte[]> again =
        exchange(
            ref, request.copy().timeout(timeout).header("Authorization", auth).build(), reading);
    if (again.statusCode() == 401 || again.statusCode() == 403) {
      tokens.remove(key);
      throw new ModuleFetchException(
          "registry "
              + ref.registry()
              + " refused the credentials for "
              + ref.name()
              + " (HTTP "
              + again.statusCode()
              + ")");
    }
    return again;
  }

  private String authorize(ImageRef ref, String challenge, String scope) {
    Optional<String> basic = credentials.basicFor(ref.registry());
    String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    if (scheme.equals("basic")) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  basic
                      .orElseThrow(
                          () ->
                              new ModuleFetchException(
                                  "registry "
                                      + ref.registry()
                                      + " requires credentials for "
                                      + ref.name()
                                      + " and none were given (docker config.json: DOCKER_CONFIG or --registry-config)"))
                      .getBytes(StandardCharsets.UTF_8));
    }
    if (!scheme.equals("bearer")) {
      throw new ModuleFetchException(
          "registry "
              + ref.registry()
              + " asks for unsupported authentication '"
              + challenge
              + "'");
    }
    Map<String, String> params = new java.util.HashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) params.put(m.group(1), m.group(2));
    String realm = params.get("realm");
    if (realm == null)
      throw new ModuleFetchException(
          "registry " + ref.registry() + " sent a Bearer challenge without a realm");
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service"))
      q.append("service=")
          .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8))
          .append('&');
    q.append("scope=")
        .append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
    HttpRequest.Builder t = HttpRequest.newBuilder(URI.create(q.toString())).timeout(timeout).GET();
    basic.ifPresent(
        c ->
            t.header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))));
    HttpResponse<byte[]> r = exchange(ref, t.build(), null);
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new ModuleFetchException(
          "the token service of "
              + ref.registry()
              + " refused "
              + (basic.isPresent() ? "the credentials" : "an anonymous request")
              + " for "
              + ref.name()
              + " (HTTP "
              + r.statusCode()
              + ")");
    }
    expect(r, ref, "getting a token", 200);
    try {
      JsonNode body = json.readTree(r.body());
      String token =
          body.hasNonNull("token")
              ? body.get("token").asText()
              : body.path("access_token").asText();
      if (token.isEmpty())
        throw new ModuleFetchException(
            "the token service of " + ref.registry() + " returned no token");
      return "Bearer " + token;
    } catch (IOException e) {
      throw new ModuleFetchException(
          "the token service of " + ref.registry() + " returned invalid JSON");
    }
  }

  private HttpResponse<byte[]> exchange(
      ImageRef ref, HttpRequest request, java.util.function.LongConsumer reading) {
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = in.read(chunk)) > 0; ) {
          body.write(chunk, 0, n);
          if (body.size() > MAX_BODY_BYTES)
            throw new ModuleFetchException(
                ref + ": a response from the registry is larger than 128 MiB");
          if (reading != null && r.statusCode() == 200) reading.accept(body.size());
        }
        return new BytesResponse(r, body.toByteArray());
      }
    } catch (IOException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof javax.net.ssl.SSLException && request.uri().getScheme().equals("https")) {
          // e.g. a plain-HTTP registry answering a TLS handshake with bytes that are not TLS
          throw new ModuleFetchException(
              "cannot reach registry "
                  + ref.registry()
                  + " over HTTPS ("
                  + c.getMessage()
                  + "); if it serves plain HTTP,"
                  + " use --insecure-registry "
                  + ref.registry(),
              e);
        }
      }
      throw new ModuleFetchException(
          "cannot reach registry " + ref.registry() + " (" + request.uri().getScheme() + "): " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleFetchException("interrupted while talking to registry " + ref.registry(), e);
    }
  }

  static void expect(HttpResponse<byte[]> r, ImageRef ref, String what, int... ok) {
    for (int s : ok) if (r.statusCode() == s) return;
    String body = new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8);
    throw new ModuleFetchException(
        "registry "
            + ref.registry()
            + ": "
            + what
            + " for "
            + ref.name()
            + " failed with HTTP "
            + r.statusCode()
            + (body.isBlank() ? "" : ": " + body.strip()));
  }

  URI url(ImageRef ref, String path) {
    String scheme = insecure.contains(ref.registry()) ? "http" : "https";
    String host = ref.registry().equals("docker.io") ? "registry-1.docker.io" : ref.registry();
    return URI.create(scheme + "://" + host + "/v2/" + ref.repository() + path);
  }

  /** A response whose body has been read (bounded). */
  private record BytesResponse(HttpResponse<InputStream> r, byte[] body)
      implements HttpResponse<byte[]> {
    @Override
    public int statusCode() {
      return r.statusCode();
    }

    @Override
    public HttpRequest request() {
      return r.request();
    }

    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return r.headers();
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> sslSession() {
      return r.sslSession();
    }

    @Override
    public URI uri() {
      return r.uri();
    }

    @Override
    public HttpClient.Version version() {
      return r.version();
    }
  }
}
