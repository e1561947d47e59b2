package dev.weft.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a module's bytes come from. weft hashes what it reads and, when {@link #expectedDigest()}
 * is given, refuses bytes that do not match it. Other packages (OCI) add their own sources.
 */
public interface ModuleSource {

  /** A short name for messages, also the module's {@code argv[0]}. */
  String name();

  /** Reads the module, refusing more than {@code maxBytes}. */
  byte[] read(long maxBytes);

  /** The digest the bytes must have, as {@code sha256:<hex>}; empty when not pinned. */
  default Optional<String> expectedDigest() {
    return Optional.empty();
  }

  /**
   * What names these bytes without reading them, if anything: a runtime that has loaded the same
   * identity before answers from memory. Pinned sources are named by their digest.
   */
  default Optional<ModuleIdentity> identity() {
    return expectedDigest().map(ModuleIdentity.Content::new);
  }

  /**
   * Bytes known by an identity, read only if the runtime does not know it yet (e.g. an OCI module
   * by manifest digest).
   */
  static ModuleSource identified(
      String name, ModuleIdentity identity, java.util.function.Supplier<byte[]> bytes) {
    Objects.requireNonNull(identity, "identity");
    return new ModuleSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<ModuleIdentity> identity() {
        return Optional.of(identity);
      }

      @Override
      public byte[] read(long maxBytes) {
        byte[] b = bytes.get();
        checkSize(name, b.length, maxBytes);
        return b;
      }
    };
  }

  static ModuleSource bytes(String name, byte[] bytes) {
    byte[] copy = bytes.clone();
    return new ModuleSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public byte[] read(long maxBytes) {
        checkSize(name, copy.length, maxBytes);
        return copy;
      }
    };
  }

  static ModuleSource file(Path path) {
    Objects.requireNonNull(path, "module path");
    return new ModuleSource() {
      @Override
      public String name() {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
      }

      /** The file as it is now; none when it cannot be read (the read then says why). */
      @Override
      public Optional<ModuleIdentity> identity() {
        try {
          var attrs = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
          return Optional.of(
              new ModuleIdentity.File(
                  path.toAbsolutePath().normalize(),
                  attrs.size(),
                  attrs.lastModifiedTime().toMillis()));
        } catch (IOException e) {
          return Optional.empty();
        }
      }

      @Override
      public byte[] read(long maxBytes) {
        try {
          checkSize(path.toString(), Files.size(path), maxBytes);
          return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
          throw new ModuleFetchException("module file not found: " + path);
        } catch (IOException e) {
          throw new ModuleFetchException("cannot read module file " + path + ": " + e, e);
        }
      }
    };
  }

  /**
   * A module fetched over HTTP(S), optionally pinned by its SHA-256 ({@code sha256:<hex>} or bare
   * hex).
   */
  static ModuleSource url(URI uri, Optional<String> sha256) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ModuleFetchException("module URL must be http or https: " + uri);
    }
    Optional<String> pinned =
        sha256
            .map(s -> s.startsWith("sha256:") ? s : "sha256:" + s)
            .map(s -> s.toLowerCase(Locale.ROOT));
    return new ModuleSource() {
      @Override
      public String name() {
        String p = uri.getPath() == null ? "" : uri.getPath();
        return p.contains("/") ? p.substring(p.lastIndexOf('/') + 1) : uri.toString();
      }

      @Override
      public Optional<String> expectedDigest() {
        return pinned;
      }

      @Override
      public byte[] read(long maxBytes) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
        try {
          HttpResponse<InputStream> resp =
              Http.CLIENT.send(req, HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
              throw new ModuleFetchException(
                  "fetching module " + uri + " failed: HTTP " + resp.statusCode());
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            checkSize(uri.toString(), body.length, maxBytes);
            return body;
          }
        } catch (IOException e) {
          throw new ModuleFetchException("fetching module " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ModuleFetchException("fetching module " + uri + " was interrupted", e);
        }
      }
    };
  }

  private static void checkSize(String what, long size, long maxBytes) {
    if (size > maxBytes) {
      throw new ModuleFetchException(
          "module "
              + what
              + " is larger than the module size limit of "
              + Limits.formatBytes(maxBytes));
    }
  }

  /** Holder so the HTTP client is created only when a URL module is first used. */
  final class Http {
    static final HttpClient CLIENT =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(); // a redirect could leave the URL that was checked

    private Http() {}
  }
}
