package dev.weft.runtime.internal.wasi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's file descriptors; a new descriptor gets the lowest free number, as POSIX and wasmtime
 * do.
 */
final class FdTable {
  private final List<Descriptor> slots = new ArrayList<>();

  Descriptor get(int fd) {
    return fd >= 0 && fd < slots.size() ? slots.get(fd) : null;
  }

  int add(Descriptor d) {
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i) == null) {
        slots.set(i, d);
        return i;
      }
    }
    slots.add(d);
    return slots.size() - 1;
  }

  /** Removes {@code fd} and returns what it held (null when it was not open). */
  Descriptor remove(int fd) {
    Descriptor d = get(fd);
    if (d != null) slots.set(fd, null);
    return d;
  }

  /** Moves {@code from} onto {@code to}, closing what {@code to} held. */
  void renumber(int from, int to) {
    Descriptor d = remove(from);
    Descriptor old = slots.set(to, d);
    closeQuietly(old);
  }

  void closeAll() {
    for (int i = 0; i < slots.size(); i++) {
      closeQuietly(slots.set(i, null));
    }
  }

  private static void closeQuietly(Descriptor d) {
    if (d == null) return;
    try {
      d.close();
    } catch (IOException e) {
      // the task is over or replaced this descriptor; nothing can report the failure to it
    }
  }
}
