package dev.weft.runtime.internal.wasi;

import com.dylibso.chicory.runtime.Memory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the guest's linear memory in the shapes WASI passes: strings and iovec arrays.
 */
final class Guest {
  private Guest() {}

  /** A path or name: UTF-8, strictly (a malformed one is EILSEQ, not silently replaced). */
  static String string(Memory m, long ptr, long len) {
    byte[] bytes = m.readBytes((int) ptr, (int) len);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw Errno.of(Abi.EILSEQ);
    }
  }

  /** One buffer of an iovec array: address and length (a u32 each). */
  record Iovec(int address, int length) {}

  static Iovec[] iovecs(Memory m, long ptr, long count) {
    Iovec[] out = new Iovec[(int) count];
    for (int i = 0; i < count; i++) {
      int base = (int) ptr + i * 8;
      out[i] = new Iovec(m.readInt(base), m.readInt(base + 4));
    }
    return out;
  }

  static int i32(long arg) {
    return (int) arg;
  }
}
