package dev.weft.runtime.internal.warmup;

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
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm start's built-in modules, and the warm start's end when the server closes. */
class FirstRunsTest {

  @Test
  void eachBuiltInWarmUpModuleIsInTheJarAndGivesTheSameOutputsInterpretedAndCompiled()
      throws Exception {
    WeftRuntime interpreter = WeftRuntime.builder().engine(Engine.INTERPRETER).build();
    WeftRuntime compiler = WeftRuntime.builder().engine(Engine.COMPILER).build();
    TaskSpec spec = TaskSpec.builder().parameter("name", "weft").build();
    for (String name : FirstRuns.MODULES) {
      byte[] module = FirstRuns.builtIn(name);
      TaskResult interpreted = interpreter.run(ModuleSource.bytes(name, module), spec);
      TaskResult compiled = compiler.run(ModuleSource.bytes(name, module), spec);

      assertThat(interpreted.succeeded()).as(name + ": " + interpreted.message()).isTrue();
      assertThat(interpreted.engine()).isEqualTo(Engine.INTERPRETER);
      assertThat(compiled.engine()).isEqualTo(Engine.COMPILER);
      assertThat(compiled.outputParameters())
          .as(name)
          .isEqualTo(interpreted.outputParameters())
          .isNotEmpty();
      assertThat(compiled.message()).isEqualTo(interpreted.message());
    }
  }

  @Test
  void theWarmUpModulesTogetherExecuteMostOpcodesOfTheMvpInstructionSet(@TempDir Path work)
      throws Exception {
    Files.writeString(
        work.resolve("input.json"), "{\"parameters\":[{\"name\":\"name\",\"value\":\"weft\"}]}");
    Set<OpCode> executed = EnumSet.noneOf(OpCode.class);
    for (String name : FirstRuns.MODULES) {
      Set<OpCode> mine = EnumSet.noneOf(OpCode.class);
      WasiPreview1 wasi =
          WasiPreview1.builder()
              .withOptions(WasiOptions.builder().withDirectory("/work", work).build())
              .build();
      try {
        Instance.builder(Parser.parse(FirstRuns.builtIn(name)))
            .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
            .withUnsafeExecutionListener((instruction, stack) -> mine.add(instruction.opcode()))
            .build();
      } catch (WasiExitException e) {
        assertThat(e.exitCode()).as(name + " exit code").isZero();
      }
      executed.addAll(mine);
    }
    // opmix is written for breadth: integer, float, conversion, memory and control opcodes
    assertThat(executed).hasSizeGreaterThanOrEqualTo(150);
    assertThat(executed)
        .contains(
            OpCode.BR_TABLE,
            OpCode.CALL_INDIRECT,
            OpCode.SELECT,
            OpCode.MEMORY_GROW,
            OpCode.I64_DIV_S,
            OpCode.I64_ROTL,
            OpCode.F64_SQRT,
            OpCode.F32_DEMOTE_F64,
            OpCode.I64_TRUNC_F64_U,
            OpCode.F64_REINTERPRET_I64,
            OpCode.I64_LOAD8_S,
            OpCode.I64_STORE32,
            OpCode.I32_POPCNT,
            OpCode.F64_COPYSIGN);
  }
}
