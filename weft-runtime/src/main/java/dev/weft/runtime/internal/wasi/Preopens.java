package dev.weft.runtime.internal.wasi;

import dev.weft.runtime.PreopenOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Orders a sandbox's directories into WASI preopens (file descriptors 3, 4, …). */
public final class Preopens {
  private Preopens() {}

  /**
   * @param sandbox guest path → host path, in the sandbox's order ({@code /work}, {@code /tmp},
   *     artifact directories, mounts)
   * @param mountGuests the normalized guest paths of the task's host mounts, in the order given
   */
  public static List<WasiConfig.Preopen> ordered(
      Map<String, Path> sandbox, List<String> mountGuests, PreopenOrder order) {
    List<WasiConfig.Preopen> out = new ArrayList<>();
    if (order == PreopenOrder.MOUNTS_FIRST) {
      for (String guest : mountGuests) {
        Path host = sandbox.get(guest);
        if (host != null) out.add(new WasiConfig.Preopen(guest, host));
      }
    }
    for (Map.Entry<String, Path> e : sandbox.entrySet()) {
      if (out.stream().noneMatch(p -> p.guestPath().equals(e.getKey())))
        out.add(new WasiConfig.Preopen(e.getKey(), e.getValue()));
    }
    return out;
  }
}
