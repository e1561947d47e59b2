package dev.weft.runtime.internal.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host function types are built once per signature and are the ones WASI preview 1 declares. */
class WasiHostTypesTest {
  @Test
  void aSignatureIsBuiltOnceAndReadsItsLetters() {
    FunctionType t = WasiHost.type("iIi");
    assertThat(WasiHost.type("iIi")).isSameAs(t);
    assertThat(t)
        .isEqualTo(
            FunctionType.of(List.of(ValType.I32, ValType.I64, ValType.I32), List.of(ValType.I32)));
    assertThat(WasiHost.type("")).isEqualTo(FunctionType.of(List.of(), List.of(ValType.I32)));
  }

  @Test
  void theHostDeclaresPreviewOnesTypes() {
    Map<String, FunctionType> s = WasiHost.signatures();
    FunctionType i32 = FunctionType.of(List.of(ValType.I32), List.of());
    assertThat(s.get("proc_exit")).isEqualTo(i32);
    assertThat(s.get("fd_write"))
        .isEqualTo(
            FunctionType.of(
                List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32)));
    assertThat(s.get("clock_time_get"))
        .isEqualTo(
            FunctionType.of(List.of(ValType.I32, ValType.I64, ValType.I32), List.of(ValType.I32)));
    assertThat(s.get("sched_yield")).isEqualTo(FunctionType.of(List.of(), List.of(ValType.I32)));
  }
}
