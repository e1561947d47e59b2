package dev.weft.argo;

import dev.weft.oci.ImageRef;
import dev.weft.oci.ModuleStore;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a step's {@link ModuleRef} into a loaded module. Remembers what it loaded, so a warm step
 * costs a file stat (file modules, reloaded when they change) or nothing (HTTP modules are pinned
 * by digest), not a read and a SHA-256 of the whole module.
 */
final class ModuleResolver {
  private static final int MAX_REMEMBERED = 1024;

  private final WeftRuntime runtime;
  private final Optional<Path> moduleDir;
  private final ModuleStore registryModules;
  private final ConcurrentHashMap<ModuleRef, Remembered> loaded = new ConcurrentHashMap<>();

  private record Remembered(LoadedModule module, long size, long modified) {}

  ModuleResolver(WeftRuntime runtime, Optional<Path> moduleDir, ModuleStore registryModules) {
    this.runtime = runtime;
    this.registryModules = registryModules;
    this.moduleDir = moduleDir.map(d -> d.toAbsolutePath().normalize());
  }

  /** @throws SpecException for refs weft cannot serve; load errors propagate as WeftException */
  LoadedModule resolve(ModuleRef ref) {
    if (ref instanceof ModuleRef.Oci oci) {
      ImageRef image;
      try {
        image = ImageRef.parse(oci.reference());
      } catch (IllegalArgumentException e) {
        throw new SpecException("plugin.wasm.module.oci", e.getMessage());
      }
      if (image.digest().isPresent()) { // pinned: the same bytes forever
        Remembered r = loaded.get(ref);
        if (r != null) return r.module();
      }
      LoadedModule m = runtime.load(ModuleSource.bytes(image.toString(), registryModules.module(image)));
      if (image.digest().isPresent()) remember(ref, new Remembered(m, 0, 0));
      return m;
    }
    if (ref instanceof ModuleRef.Http http) {
      Remembered r = loaded.get(ref);
      if (r != null) return r.module();
      LoadedModule m = runtime.load(ModuleSource.url(http.url(), Optional.of(http.sha256())));
      remember(ref, new Remembered(m, 0, 0));
      return m;
    }
    ModuleRef.File file = (ModuleRef.File) ref;
    Path path = confine(file.path());
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new SpecException("plugin.wasm.module.file", "module '" + file.path() + "' not found under the module directory");
    }
    Remembered r = loaded.get(ref);
    if (r != null && r.size() == attrs.size() && r.modified() == attrs.lastModifiedTime().toMillis()) return r.module();
    LoadedModule m = runtime.load(ModuleSource.file(path));
    remember(ref, new Remembered(m, attrs.size(), attrs.lastModifiedTime().toMillis()));
    return m;
  }

  private void remember(ModuleRef ref, Remembered r) {
    if (loaded.size() >= MAX_REMEMBERED) loaded.clear(); // bounded; the runtime's cache still holds compiled code
    loaded.put(ref, r);
  }

  /** File modules relative to {@code baseDir}, unconfined (a local workflow's own files); others as {@link #resolve}. */
  LoadedModule resolveRelative(ModuleRef ref, Path baseDir) {
    if (!(ref instanceof ModuleRef.File file)) return resolve(ref);
    Path path = baseDir.resolve(file.path()).toAbsolutePath().normalize();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new SpecException("plugin.wasm.module.file", "module '" + file.path() + "' not found (looked for " + path + ")");
    }
    ModuleRef key = new ModuleRef.File(path.toString());
    Remembered r = loaded.get(key);
    if (r != null && r.size() == attrs.size() && r.modified() == attrs.lastModifiedTime().toMillis()) return r.module();
    LoadedModule m = runtime.load(ModuleSource.file(path));
    remember(key, new Remembered(m, attrs.size(), attrs.lastModifiedTime().toMillis()));
    return m;
  }

  private Path confine(String relative) {
    if (moduleDir.isEmpty()) {
      throw new SpecException("plugin.wasm.module.file", "file modules are disabled: start weft serve with --module-dir DIR");
    }
    Path p = moduleDir.get().resolve(relative).normalize();
    if (!p.startsWith(moduleDir.get())) {
      throw new SpecException("plugin.wasm.module.file", "'" + relative + "' is outside the module directory");
    }
    try {
      if (Files.exists(p) && !p.toRealPath().startsWith(moduleDir.get().toRealPath())) {
        throw new SpecException("plugin.wasm.module.file", "'" + relative + "' leads outside the module directory through a symlink");
      }
    } catch (IOException e) {
      throw new SpecException("plugin.wasm.module.file", "'" + relative + "' cannot be resolved: " + e.getMessage());
    }
    return p;
  }
}
