package dev.weft.oci;

/** What a push stored: the manifest's digest (pin it with {@code @}) and the module layer's. */
public record Pushed(String manifestDigest, String moduleDigest) {}
