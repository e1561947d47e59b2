package dev.weft.argo;

import dev.weft.oci.ImageRef;
import dev.weft.oci.ModuleStore;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleIdentity;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a step's {@link ModuleRef} into a module source and loads it on the runtime. Nothing is
 * remembered here: the runtime remembers modules by identity (a file unchanged since, a pinned
 * digest, an OCI manifest digest), so a warm step costs a stat or a lookup, not a read and a hash.
 */
final class ModuleResolver {
  private final WeftRuntime runtime;
  private final Optional<Path> moduleDir;
  private final ModuleStore registryModules;
  private final ModuleUrls moduleUrls;

  ModuleResolver(
      WeftRuntime runtime,
      Optional<Path> moduleDir,
      ModuleStore registryModules,
      java.util.List<String> allowedModuleUrls) {
    this.runtime = runtime;
    this.moduleUrls = new ModuleUrls(allowedModuleUrls);
    this.registryModules = registryModules;
    this.moduleDir = moduleDir.map(d -> d.toAbsolutePath().normalize());
  }

  /**
   * File modules under the module directory, confined to it.
   *
   * @throws SpecException for refs weft cannot serve; load errors propagate as WeftException
   */
  LoadedModule resolve(ModuleRef ref) {
    if (ref instanceof ModuleRef.File file)
      return loadFile(confine(file.path()), file.path(), "under the module directory");
    return resolveRemote(ref);
  }

  /**
   * File modules relative to {@code baseDir}, unconfined (a local workflow's own files); others as
   * {@link #resolve}.
   */
  LoadedModule resolveRelative(ModuleRef ref, Path baseDir) {
    if (!(ref instanceof ModuleRef.File file)) return resolveRemote(ref);
    Path path = baseDir.resolve(file.path()).toAbsolutePath().normalize();
    return loadFile(path, file.path(), "(looked for " + path + ")");
  }

  private LoadedModule resolveRemote(ModuleRef ref) {
    if (ref instanceof ModuleRef.Http http) {
      moduleUrls.check(http.url());
      return runtime.load(ModuleSource.url(http.url(), Optional.of(http.sha256())));
    }
    ModuleRef.Oci oci = (ModuleRef.Oci) ref;
    ImageRef image;
    try {
      image = ImageRef.parse(oci.reference());
    } catch (IllegalArgumentException e) {
      throw new SpecException("plugin.wasm.module.oci", e.getMessage());
    }
    String manifest = registryModules.manifestDigest(image);
    ImageRef pinned =
        new ImageRef(image.registry(), image.repository(), image.tag(), Optional.of(manifest));
    return runtime.load(
        ModuleSource.identified(
            image.toString(),
            new ModuleIdentity.Manifest(manifest),
            () -> registryModules.module(pinned)));
  }

  private LoadedModule loadFile(Path path, String asWritten, String where) {
    if (!Files.isRegularFile(path))
      throw new SpecException(
          "plugin.wasm.module.file", "module '" + asWritten + "' not found " + where);
    return runtime.load(ModuleSource.file(path));
  }

  private Path confine(String relative) {
    if (moduleDir.isEmpty()) {
      throw new SpecException(
          "plugin.wasm.module.file", "file modules are disabled: start weft with --module-dir DIR");
    }
    Path p;
    try {
      p = moduleDir.get().resolve(relative).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new SpecException(
          "plugin.wasm.module.file",
          "'" + relative.replace("\0", "\\0") + "' is not a path: " + e.getReason());
    }
    if (!p.startsWith(moduleDir.get())) {
      throw new SpecException(
          "plugin.wasm.module.file", "'" + relative + "' is outside the module directory");
    }
    try {
      if (Files.exists(p) && !p.toRealPath().startsWith(moduleDir.get().toRealPath())) {
        throw new SpecException(
            "plugin.wasm.module.file",
            "'" + relative + "' leads outside the module directory through a symlink");
      }
    } catch (IOException e) {
      throw new SpecException(
          "plugin.wasm.module.file", "'" + relative + "' cannot be resolved: " + e.getMessage());
    }
    return p;
  }
}
