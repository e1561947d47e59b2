package dev.weft.argo;

import java.net.URI;

/** Where a step's module comes from: the {@code plugin.wasm.module} block. */
public sealed interface ModuleRef {
  /** {@code module: {file: path}}, resolved under the server's module directory. */
  record File(String path) implements ModuleRef {}

  /** {@code module: {http: {url, sha256}}}: fetched once, pinned by digest. */
  record Http(URI url, String sha256) implements ModuleRef {}

  /** {@code module: {oci: ref}}, the earlier plugin's only form. */
  record Oci(String reference) implements ModuleRef {}
}
