package dev.weft.runtime.internal.wasi;

import static dev.weft.runtime.internal.wasi.Guest.i32;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.Memory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * clock_res_get, clock_time_get and poll_oneoff. The CPU-time clocks are implemented: a task runs
 * on one JVM thread, so both the process and the thread clock read that thread's CPU time since the
 * task's WASI host was created (the start of the task).
 */
final class Clocks {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final FdCalls fds;
  private final long cpuStart;

  Clocks(FdCalls fds) {
    this.fds = fds;
    this.cpuStart = cpuSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  private static boolean cpuSupported() {
    return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
  }

  int resGet(Memory m, long id, long resultPtr) {
    long res =
        switch (i32(id)) {
          case Abi.CLOCK_REALTIME -> 1_000; // java.time.Clock gives microseconds on Linux
          case Abi.CLOCK_MONOTONIC -> 1;
          case Abi.CLOCK_PROCESS_CPUTIME, Abi.CLOCK_THREAD_CPUTIME -> {
            if (!cpuSupported()) throw Errno.of(Abi.ENOTSUP);
            yield 1;
          }
          default -> throw Errno.of(Abi.EINVAL);
        };
    m.writeLong(i32(resultPtr), res);
    return Abi.SUCCESS;
  }

  int timeGet(Memory m, long id, long precision, long resultPtr) {
    m.writeLong(i32(resultPtr), now(i32(id)));
    return Abi.SUCCESS;
  }

  private long now(int id) {
    switch (id) {
      case Abi.CLOCK_REALTIME:
        {
          Instant t = Instant.now();
          return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        }
      case Abi.CLOCK_MONOTONIC:
        return System.nanoTime();
      case Abi.CLOCK_PROCESS_CPUTIME:
      case Abi.CLOCK_THREAD_CPUTIME:
        if (!cpuSupported()) throw Errno.of(Abi.ENOTSUP);
        return Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuStart);
      default:
        throw Errno.of(Abi.EINVAL);
    }
  }

  /**
   * Files, stdin (a byte array) and stdout/stderr are always ready, so fd subscriptions complete at
   * once; otherwise the call sleeps until the earliest clock subscription is due. The sleep is
   * interruptible, so the task's deadline stops it.
   */
  int pollOneoff(Memory m, long inPtr, long outPtr, long n, long neventsPtr) throws IOException {
    if (n <= 0) throw Errno.of(Abi.EINVAL);
    int out = i32(outPtr);
    int events = 0;
    long earliest = Long.MAX_VALUE; // System.nanoTime() at which the first clock is due
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int sub = i32(inPtr) + i * Abi.SUBSCRIPTION_SIZE;
      byte tag = m.read(sub + 8);
      if (tag == Abi.EVENT_CLOCK) {
        long due = due(m.readInt(sub + 16), m.readLong(sub + 24), m.readShort(sub + 40), start);
        earliest = Math.min(earliest, due);
      } else if (tag == Abi.EVENT_FD_READ || tag == Abi.EVENT_FD_WRITE) {
        writeFdEvent(m, out + events * Abi.EVENT_SIZE, m.readLong(sub), tag, m.readInt(sub + 16));
        events++;
      } else {
        throw Errno.of(Abi.EINVAL);
      }
    }
    if (events == 0 && earliest != Long.MAX_VALUE) {
      long wait = earliest - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChicoryInterruptedException("interrupted in poll_oneoff");
        }
      }
    }
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int sub = i32(inPtr) + i * Abi.SUBSCRIPTION_SIZE;
      if (m.read(sub + 8) != Abi.EVENT_CLOCK) continue;
      int id = m.readInt(sub + 16);
      int error = Abi.SUCCESS;
      long due;
      try {
        due = due(id, m.readLong(sub + 24), m.readShort(sub + 40), start);
      } catch (Errno e) {
        error = e.code;
        due = Long.MIN_VALUE;
      }
      if (due <= now) {
        writeEvent(m, out + events * Abi.EVENT_SIZE, m.readLong(sub), error, Abi.EVENT_CLOCK);
        events++;
      }
    }
    m.writeI32(i32(neventsPtr), events);
    return Abi.SUCCESS;
  }

  /** When a clock subscription is due, as a System.nanoTime() value. */
  private long due(int id, long timeout, short flags, long start) {
    if (id != Abi.CLOCK_REALTIME && id != Abi.CLOCK_MONOTONIC) throw Errno.of(Abi.EINVAL);
    long relative = (flags & Abi.SUBCLOCK_ABSTIME) != 0 ? timeout - now(id) : timeout;
    return relative <= 0 ? start : start + relative;
  }

  private void writeFdEvent(Memory m, int ev, long userdata, byte type, int fd) throws IOException {
    Descriptor d = fds.fdOrNull(fd);
    int error = Abi.SUCCESS;
    long nbytes = 0;
    if (d == null) {
      error = Abi.EBADF;
    } else if (type == Abi.EVENT_FD_READ && d instanceof Descriptor.Input in) {
      nbytes = in.in.available();
    } else if (type == Abi.EVENT_FD_READ && d instanceof Descriptor.File f) {
      nbytes = Math.max(0, f.channel.size() - f.channel.position());
    } else if (type == Abi.EVENT_FD_WRITE
        && (d instanceof Descriptor.Output || d instanceof Descriptor.File)) {
      nbytes = 0;
    } else {
      error = Abi.EBADF;
    }
    writeEvent(m, ev, userdata, error, type);
    m.writeLong(ev + 16, nbytes);
  }

  private static void writeEvent(Memory m, int ev, long userdata, int error, byte type) {
    m.write(ev, new byte[Abi.EVENT_SIZE]);
    m.writeLong(ev, userdata);
    m.writeShort(ev + 8, (short) error);
    m.writeByte(ev + 10, type);
  }
}
