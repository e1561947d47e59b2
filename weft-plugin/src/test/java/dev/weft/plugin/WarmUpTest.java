package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.weft.runtime.Engine;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm start's built-in modules, and the warm start's end when the server closes. */
class WarmUpTest {

  @Test
  void closingTheServerEndsItsWarmUpEarly() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    PluginServer server = PluginServer.start(ServerConfig.defaults(Optional.empty()).withPort(0));
    // this server's warm-up thread, not one of an earlier test's server
    Thread warming = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("weft-warm-up") && !before.contains(t)).findFirst().orElseThrow();
    server.close();
    warming.join(Duration.ofSeconds(5).toMillis());
    assertThat(warming.isAlive()).as("warm-up still running 5 s after close").isFalse();
  }
}
