package dev.weft.runtime;

import java.nio.file.Path;

/**
 * An output artifact exported from the sandbox.
 *
 * @param name the artifact's name
 * @param path the path the module reported (contract v1, relative to /work/artifacts-out) or the
 *     declared guest path (plain WASI)
 * @param file where weft copied it on the host (a file, or a directory for directory artifacts)
 * @param sizeBytes its size in bytes (sum of files for a directory)
 */
public record OutputArtifact(String name, String path, Path file, long sizeBytes) {}
