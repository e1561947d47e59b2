package dev.weft.oci;

/** Digests as OCI writes them. */
public final class Digests {
  private Digests() {}

  /** {@code sha256:<hex>} of the bytes. */
  public static String sha256(byte[] data) {
    return RegistryClient.sha256(data);
  }
}
