package dev.weft.runtime.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.weft.runtime.LinkException;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A capability added from outside the runtime, the way docs/capabilities.md describes: one kind,
 * one grant, registered on the builder; HostImports and TaskRunner are not touched.
 */
class CapabilityKindTest {
  /**
   * A module importing {@code weft_test.ping: () -> i32} and WASI's {@code proc_exit}, whose {@code
   * _start} exits with what ping returns. Hand-assembled: 8 sections, 104 bytes.
   */
  private static final byte[] PING =
      HexFormat.of()
          .parseHex(
              "0061736d01000000"
                  + "010c03"
                  + "6000017f"
                  + "60017f00"
                  + "600000"
                  + "023502"
                  + "09"
                  + hex("weft_test")
                  + "04"
                  + hex("ping")
                  + "0000"
                  + "16"
                  + hex("wasi_snapshot_preview1")
                  + "09"
                  + hex("proc_exit")
                  + "0001"
                  + "03020102"
                  + "070a0106"
                  + hex("_start")
                  + "0002"
                  + "0a080106001000100"
                  + "10b");

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The grant: ping answers {@code answer}. Deny-all answers 99. */
  record Ping(int answer) implements Capability {
    static final CapabilityKind KIND =
        new CapabilityKind() {
          @Override
          public String name() {
            return "ping";
          }

          @Override
          public Map<String, FunctionType> imports() {
            return Map.of("weft_test.ping", FunctionType.of(List.of(), List.of(ValType.I32)));
          }

          @Override
          public Optional<Capability> denyAll() {
            return Optional.of(new Ping(99));
          }
        };

    static final List<String> OPENED = new ArrayList<>();

    @Override
    public CapabilityKind kind() {
      return KIND;
    }

    @Override
    public boolean restartable() {
      return true;
    }

    @Override
    public Session open(String moduleName) {
      synchronized (OPENED) {
        OPENED.add(moduleName + ":" + answer);
      }
      return new Session() {
        @Override
        public List<HostFunction> hostFunctions() {
          return List.of(
              new HostFunction(
                  "weft_test",
                  "ping",
                  FunctionType.of(List.of(), List.of(ValType.I32)),
                  (instance, args) -> new long[] {answer}));
        }
      };
    }
  }

  @Test
  void aModuleImportingAnUnregisteredKindCannotBeLinkedAndTheErrorNamesTheImport() {
    try (WeftRuntime weft = WeftRuntime.create()) {
      assertThatThrownBy(() -> weft.load(ModuleSource.bytes("ping.wasm", PING)))
          .isInstanceOf(LinkException.class)
          .hasMessageContaining("weft_test.ping")
          .hasMessageContaining("wasi_experimental_http"); // it lists what is provided
    }
  }

  @Test
  void aRegisteredKindLinksItsFunctionsAndAGrantedTaskCallsTheGrantsSession() {
    try (WeftRuntime weft = WeftRuntime.builder().capability(Ping.KIND).build()) {
      TaskResult r =
          weft.run(
              ModuleSource.bytes("ping.wasm", PING), TaskSpec.builder().grant(new Ping(7)).build());
      assertThat(r.exitCode()).hasValue(7);
      assertThat(r.phase()).isEqualTo(Phase.Failed);
    }
  }

  @Test
  void withoutAGrantTheTaskGetsTheKindsDenyAllSession() {
    try (WeftRuntime weft = WeftRuntime.builder().capability(Ping.KIND).build()) {
      TaskResult r = weft.run(ModuleSource.bytes("ping.wasm", PING), TaskSpec.builder().build());
      assertThat(r.exitCode()).hasValue(99);
    }
  }

  @Test
  void aGrantOfAKindTheRuntimeDoesNotHaveIsAnErrorNamingIt() {
    try (WeftRuntime weft = WeftRuntime.create()) {
      TaskResult r =
          weft.run(
              ModuleSource.file(dev.weft.runtime.Examples.module("hello")),
              TaskSpec.builder().grant(new Ping(1)).build());
      assertThat(r.phase()).isEqualTo(Phase.Error);
      assertThat(r.message()).contains("capability 'ping' is not registered on this runtime");
    }
  }

  @Test
  void aKindCannotBeRegisteredTwice() {
    assertThatThrownBy(() -> WeftRuntime.builder().capability(Ping.KIND).capability(Ping.KIND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ping' is already registered");
  }
}
