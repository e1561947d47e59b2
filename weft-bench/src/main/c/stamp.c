/*
 * stamp - linked into every program the comparison harness runs (natively, in a container and as
 * Wasm). Before main() it prints "weft-bench start <ns>"; at exit "weft-bench end <ns> <bytes>",
 * where <ns> is CLOCK_MONOTONIC (under weft, WASI's monotonic clock, which is the JVM's
 * System.nanoTime(): the same clock on Linux, so the harness can subtract its own timestamps) and
 * <bytes> is the task's peak memory: linear memory size for Wasm, peak RSS natively (VmHWM of
 * /proc/self/status, which restarts at exec, unlike getrusage's ru_maxrss, which in a container
 * would report runc's own setup process).
 * Output is buffered by stdio, so stamping costs no extra system call.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#ifndef __wasm__
#include <string.h>
#endif

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

__attribute__((constructor)) static void stamp_start(void) {
  printf("weft-bench start %llu\n", (unsigned long long)now_ns());
}

__attribute__((destructor)) static void stamp_end(void) {
  uint64_t t = now_ns();
#ifdef __wasm__
  unsigned long long peak = (unsigned long long)__builtin_wasm_memory_size(0) * 65536u;
#else
  unsigned long long peak = 0;
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, "VmHWM:", 6) == 0) { peak = strtoull(line + 6, NULL, 10) * 1024u; break; }
  }
  if (f) fclose(f);
#endif
  printf("weft-bench end %llu %llu\n", (unsigned long long)t, peak);
}
