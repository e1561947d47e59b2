package dev.weft.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Runs a command as a child process and turns its output into a {@link TaskSample}. */
final class ProcessTasks {
  private static final int MAX_OUTPUT = 64 * 1024;
  private final Set<Long> live = ConcurrentHashMap.newKeySet();

  Set<Long> live() {
    return live;
  }

  /** The result plus the exit code; output beyond 64 KiB is dropped (bounded). */
  record Outcome(long submit, long done, int exit, String output) {}

  Outcome exec(List<String> command) {
    long submit = System.nanoTime();
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Outcome(
          submit, System.nanoTime(), -1, "cannot start " + command.get(0) + ": " + e.getMessage());
    }
    live.add(p.pid());
    try (InputStream in = p.getInputStream()) {
      byte[] out = in.readNBytes(MAX_OUTPUT);
      in.transferTo(OutputStreamNull.INSTANCE);
      int exit = p.waitFor();
      return new Outcome(submit, System.nanoTime(), exit, new String(out, StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      p.destroyForcibly();
      return new Outcome(submit, System.nanoTime(), -1, "lost " + command.get(0) + ": " + e);
    } finally {
      live.remove(p.pid());
    }
  }

  TaskSample sample(Outcome o, String expect) {
    if (o.exit() != 0)
      return TaskSample.failed(
          o.submit(), o.done(), "exit " + o.exit() + ": " + o.output().strip());
    return TaskSample.fromOutput(o.submit(), o.done(), o.output(), expect);
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
