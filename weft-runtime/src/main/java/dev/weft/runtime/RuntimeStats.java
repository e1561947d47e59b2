package dev.weft.runtime;

/**
 * A snapshot of what a {@link WeftRuntime} holds, for metrics.
 *
 * @param compiledModules modules held compiled (or failed and not yet evicted)
 * @param cacheHits loads that found the module's compiled form (or its compilation under way)
 * @param cacheMisses loads that compiled
 * @param rememberedIdentities module identities (files, pinned digests, manifests) remembered
 * @param compilingInBackground tiered-engine compilations under way
 */
public record RuntimeStats(
    long compiledModules,
    long cacheHits,
    long cacheMisses,
    long rememberedIdentities,
    long compilingInBackground) {}
