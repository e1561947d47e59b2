package dev.weft.bench.compare;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** (c) One native process per task: fork/exec of the statically linked program. */
final class NativeArm implements Arm {
  private final Path bin;
  private final Path data;
  private final ProcessTasks tasks = new ProcessTasks();

  NativeArm(Path bin, Path data) {
    this.bin = bin;
    this.data = data;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public TaskSample run(Workload w, int worker, long seq) {
    String exe = bin.resolve(w.program).toString();
    List<String> cmd =
        switch (w) {
          case HELLO -> List.of(exe);
          case IMAGE ->
              List.of(
                  exe,
                  data.resolve(Inputs.IMAGE).toString(),
                  data.resolve("out-" + worker + ".pgm").toString());
          case COPY ->
              List.of(
                  exe,
                  data.resolve(Inputs.TEXT).toString(),
                  data.resolve("out-" + worker + ".txt").toString());
        };
    return tasks.sample(tasks.exec(cmd), Inputs.expected(w));
  }

  @Override
  public Collection<Long> rootPids() {
    return List.copyOf(tasks.live());
  }
}
