/* Clocks and poll_oneoff: realtime, monotonic, CPU time, clock and fd subscriptions. */
#include "conformance.h"

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(id, 1, &t) != 0) return 0;
  return t;
}

static volatile uint64_t sink;

int main(int argc, char **argv) {
  (void)argc, (void)argv;
  __wasi_timestamp_t res;
  EXPECT_OK(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res), "realtime resolution");
  EXPECT(res > 0 && res <= 1000000, "realtime resolution is at most 1 ms");
  EXPECT_OK(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), "monotonic resolution");
  EXPECT_OK(__wasi_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &res), "process CPU clock resolution");
  EXPECT_OK(__wasi_clock_res_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, &res), "thread CPU clock resolution");
  EXPECT_ERRNO(__wasi_clock_res_get(9, &res), __WASI_ERRNO_INVAL, "unknown clock: EINVAL");
  __wasi_timestamp_t t;
  EXPECT_ERRNO(__wasi_clock_time_get(9, 1, &t), __WASI_ERRNO_INVAL, "time of unknown clock: EINVAL");

  EXPECT(now(__WASI_CLOCKID_REALTIME) > 1577836800ull * 1000000000ull, "realtime is after 2020");
  __wasi_timestamp_t m1 = now(__WASI_CLOCKID_MONOTONIC), m2 = now(__WASI_CLOCKID_MONOTONIC);
  EXPECT(m1 > 0 && m2 >= m1, "monotonic does not go back");

  __wasi_timestamp_t c1 = now(__WASI_CLOCKID_PROCESS_CPUTIME_ID), th1 = now(__WASI_CLOCKID_THREAD_CPUTIME_ID);
  uint64_t x = 1;
  for (int i = 0; i < 20000000; i++) x = x * 6364136223846793005ull + 1442695040888963407ull;
  sink = x;
  __wasi_timestamp_t c2 = now(__WASI_CLOCKID_PROCESS_CPUTIME_ID), th2 = now(__WASI_CLOCKID_THREAD_CPUTIME_ID);
  EXPECT(c2 > c1, "process CPU time grows with work");
  EXPECT(th2 > th1, "thread CPU time grows with work");

  /* poll_oneoff: a relative clock of 20 ms */
  __wasi_subscription_t sub[3];
  __wasi_event_t ev[3];
  __wasi_size_t n = 0;
  memset(sub, 0, sizeof sub);
  sub[0].userdata = 42;
  sub[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[0].u.u.clock.timeout = 20000000;
  __wasi_timestamp_t before = now(__WASI_CLOCKID_MONOTONIC);
  EXPECT_OK(__wasi_poll_oneoff(sub, ev, 1, &n), "poll a 20 ms clock");
  __wasi_timestamp_t waited = now(__WASI_CLOCKID_MONOTONIC) - before;
  EXPECT(n == 1 && ev[0].userdata == 42 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0, "one clock event with its userdata");
  EXPECT(waited >= 20000000, "it waited at least 20 ms");

  /* an absolute realtime deadline in the past fires at once */
  sub[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
  sub[0].u.u.clock.timeout = 1;
  sub[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  EXPECT_OK(__wasi_poll_oneoff(sub, ev, 1, &n), "poll an absolute time in the past");
  EXPECT(n == 1 && ev[0].type == __WASI_EVENTTYPE_CLOCK, "it fires");

  /* fd subscriptions: stdin readable, stdout writable, a bad fd; with a long clock that must not wait */
  memset(sub, 0, sizeof sub);
  sub[0].userdata = 1;
  sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  sub[0].u.u.fd_read.file_descriptor = 0;
  sub[1].userdata = 2;
  sub[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  sub[1].u.u.fd_write.file_descriptor = 1;
  sub[2].userdata = 3;
  sub[2].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[2].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[2].u.u.clock.timeout = 60000000000ull;
  before = now(__WASI_CLOCKID_MONOTONIC);
  EXPECT_OK(__wasi_poll_oneoff(sub, ev, 3, &n), "poll stdin, stdout and a 60 s clock");
  EXPECT(now(__WASI_CLOCKID_MONOTONIC) - before < 10000000000ull, "ready fds do not wait for the clock");
  EXPECT(n == 2 && ev[0].userdata == 1 && ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[0].error == 0, "stdin is readable");
  EXPECT(ev[0].fd_readwrite.nbytes == 5, "stdin has 5 bytes");
  EXPECT(ev[1].userdata == 2 && ev[1].type == __WASI_EVENTTYPE_FD_WRITE && ev[1].error == 0, "stdout is writable");
  sub[0].u.u.fd_read.file_descriptor = 77;
  EXPECT_OK(__wasi_poll_oneoff(sub, ev, 1, &n), "poll a closed fd");
  EXPECT(n == 1 && ev[0].error == __WASI_ERRNO_BADF, "its event carries EBADF");
  EXPECT_ERRNO(__wasi_poll_oneoff(sub, ev, 0, &n), __WASI_ERRNO_INVAL, "no subscriptions: EINVAL");
  return finish();
}
