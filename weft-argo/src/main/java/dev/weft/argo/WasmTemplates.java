package dev.weft.argo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.oci.ModuleStore;
import dev.weft.oci.RegistryClient;
import dev.weft.runtime.Limits;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the local workflow engine needs from the plugin's template handling: parse a
 * {@code plugin.wasm} block, map a processed template to a task, and load its module. File
 * modules are resolved against a base directory (the workflow file's), without the plugin
 * server's confinement: a local workflow is its author's own.
 */
public final class WasmTemplates {
  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final WasmStepParser parser = new WasmStepParser(json);
  private final TemplateMapper mapper;
  private final WeftRuntime runtime;
  private final Path moduleCache;
  private volatile ModuleResolver remote; // made on first use: a registry client costs start-up time
  private final ConcurrentHashMap<Path, Remembered> files = new ConcurrentHashMap<>();

  private record Remembered(LoadedModule module, long size, long modified) {}

  /**
   * @param ceiling the highest limits a step may ask for; steps get these unless they lower them
   * @param moduleCache where modules pulled from registries are kept
   */
  public WasmTemplates(WeftRuntime runtime, Limits ceiling, Path moduleCache) {
    this(runtime, ceiling, moduleCache, CapabilityCeiling.none());
  }

  /** @param capabilities what steps' {@code permissions} may be granted (nothing by default) */
  public WasmTemplates(WeftRuntime runtime, Limits ceiling, Path moduleCache, CapabilityCeiling capabilities) {
    this.runtime = runtime;
    this.mapper = new TemplateMapper(ceiling).withCeiling(capabilities);
    this.moduleCache = moduleCache;
  }

  private synchronized ModuleResolver remote() {
    if (remote == null) {
      remote = new ModuleResolver(runtime, Optional.empty(), new ModuleStore(moduleCache, RegistryClient.builder().build(), Duration.ofMinutes(5)));
    }
    return remote;
  }

  /** @throws SpecException naming the field at fault */
  public WasmStep parse(JsonNode wasm) {
    return parser.parse(wasm);
  }

  /**
   * Maps a processed template ({@code inputs.parameters} with values, {@code outputs.parameters},
   * {@code timeout}) to a task; artifacts are the caller's to add.
   */
  public TaskSpec toTask(String workflowName, JsonNode template, WasmStep step, Path scratch) {
    return mapper.toTask(workflowName, template, step, scratch);
  }

  /** Loads the step's module; relative file paths resolve against {@code baseDir}. */
  public LoadedModule load(ModuleRef ref, Path baseDir) {
    if (!(ref instanceof ModuleRef.File file)) return remote().resolve(ref);
    Path path = baseDir.resolve(file.path()).toAbsolutePath().normalize();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new SpecException("plugin.wasm.module.file", "module '" + file.path() + "' not found (looked for " + path + ")");
    }
    Remembered r = files.get(path);
    if (r != null && r.size() == attrs.size() && r.modified() == attrs.lastModifiedTime().toMillis()) return r.module();
    LoadedModule m = runtime.load(ModuleSource.file(path));
    files.put(path, new Remembered(m, attrs.size(), attrs.lastModifiedTime().toMillis()));
    return m;
  }
}
