package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Artifacts fetched by URL ({@code http:} inputs, and {@code s3:} endpoints other than the
 * repository's): deny by default, every redirect hop re-checked against the allow-list, sizes
 * capped while reading, queries (which may hold tokens) never shown.
 */
final class ArtifactUrls {
  private static final int MAX_REDIRECTS = 5;

  private final ArtifactSettings settings;
  private final HttpClient http;

  ArtifactUrls(ArtifactSettings settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
  }

  /** Deny by default: a URL must start with one of --artifact-allow-url. */
  void checkAllowed(URI u, String what) {
    if (u.getRawUserInfo() != null)
      throw new ArtifactFailure(what + ": URLs with user info are refused");
    String s =
        u.getScheme()
            + "://"
            + u.getRawAuthority()
            + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
    for (String prefix : settings.allowedUrls()) {
      if (s.startsWith(prefix)
          && (prefix.endsWith("/")
              || s.length() == prefix.length()
              || s.charAt(prefix.length()) == '/')) return;
    }
    throw new ArtifactFailure(
        what
            + ": "
            + shown(u)
            + " is not allowed; weft serve fetches only from the artifact repository and "
            + "--artifact-allow-url prefixes (now: "
            + (settings.allowedUrls().isEmpty()
                ? "none"
                : String.join(", ", settings.allowedUrls()))
            + ")");
  }

  /** A URL without its query, which may hold tokens. */
  private static String shown(URI u) {
    return u.getScheme()
        + "://"
        + u.getRawAuthority()
        + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  /** GET with redirects re-checked against the allow-list; false when optional and not found. */
  boolean get(URI url, JsonNode headers, Path dest, String what, boolean optional)
      throws IOException {
    URI u = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      checkAllowed(u, what);
      HttpRequest.Builder rb = HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(60)).GET();
      for (JsonNode h : headers) rb.header(h.path("name").asText(), h.path("value").asText());
      HttpResponse<InputStream> resp;
      try {
        resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + shown(u));
      } catch (IOException e) {
        throw new ArtifactFailure(what + ": cannot fetch " + shown(u) + ": " + e);
      }
      try (InputStream body = resp.body()) {
        int status = resp.statusCode();
        Optional<String> location = resp.headers().firstValue("Location");
        if (status >= 300 && status < 400 && location.isPresent()) {
          u = u.resolve(location.get());
          continue;
        }
        if (status == 404 && optional) return false;
        if (status != 200)
          throw new ArtifactFailure(what + ": " + shown(u) + " answered HTTP " + status);
        long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length >= 0) ArtifactIO.checkSize(length, settings.maxArtifactBytes(), what, shown(u));
        long copied = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dest)) {
          int n;
          while ((n = body.read(buf)) > 0) {
            copied += n;
            ArtifactIO.checkSize(copied, settings.maxArtifactBytes(), what, shown(u));
            out.write(buf, 0, n);
          }
        }
        return true;
      }
    }
    throw new ArtifactFailure(
        what + ": more than " + MAX_REDIRECTS + " redirects from " + shown(url));
  }
}
