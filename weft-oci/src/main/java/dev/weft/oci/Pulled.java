package dev.weft.oci;

/**
 * A module pulled from a registry, every digest verified.
 *
 * @param manifestDigest the digest of the image manifest the module came from
 * @param moduleDigest the digest of the module bytes themselves ({@code sha256:<hex>})
 * @param mediaType the media type of the layer it came from
 */
public record Pulled(byte[] module, String manifestDigest, String moduleDigest, String mediaType) {}
