package dev.weft.oci;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A reference to an OCI artifact: {@code registry/repository[:tag][@sha256:hex]}. A reference with
 * neither tag nor digest means {@code :latest}; Docker Hub short names get {@code docker.io} and
 * {@code library/}.
 */
public record ImageRef(
    String registry, String repository, Optional<String> tag, Optional<String> digest) {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public ImageRef {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("empty OCI reference");
    String rest = text.trim();
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest.get()).matches()) {
        throw new IllegalArgumentException(
            "OCI reference '" + text + "': digest must be sha256: and 64 lower-case hex digits");
      }
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag.get()).matches())
        throw new IllegalArgumentException(
            "OCI reference '" + text + "': invalid tag '" + tag.get() + "'");
    }
    String registry;
    String repository;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      registry = first;
      repository = rest.substring(slash + 1);
    } else {
      registry = "docker.io";
      repository = slash < 0 ? "library/" + rest : rest;
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException(
          "OCI reference '" + text + "': invalid repository '" + repository + "'");
    }
    if (tag.isEmpty() && digest.isEmpty()) tag = Optional.of("latest");
    return new ImageRef(registry, repository, tag, digest);
  }

  /** {@code registry/repository}. */
  public String name() {
    return registry + "/" + repository;
  }

  /** What the registry API calls the reference: the digest if pinned, else the tag. */
  String reference() {
    return digest.orElseGet(tag::get);
  }

  @Override
  public String toString() {
    return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
