/* Arguments, environment, random_get, sched_yield, proc_raise and proc_exit's code. */
#include "conformance.h"

/* Not declared by every wasi-libc release. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int32_t wasi_proc_raise(int32_t sig);

int main(int argc, char **argv) {
  EXPECT(argc == 5, "five arguments (the test directory first)");
  for (int i = 2; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
  const char *v = getenv("WEFT_GREETING");
  EXPECT(v && strcmp(v, "héllo wörld") == 0, "UTF-8 environment value");
  EXPECT(getenv("HOME") == NULL, "no host environment");
  __wasi_size_t count, size;
  EXPECT_OK(__wasi_environ_sizes_get(&count, &size), "environ_sizes_get");
  EXPECT(count == 2, "two variables");
  EXPECT_OK(__wasi_args_sizes_get(&count, &size), "args_sizes_get");
  EXPECT(count == 5, "argc 5 from args_sizes_get");

  uint8_t a[64] = {0}, b[64] = {0}, zero[64] = {0};
  EXPECT_OK(__wasi_random_get(a, sizeof a), "random_get");
  EXPECT_OK(__wasi_random_get(b, sizeof b), "random_get again");
  EXPECT(memcmp(a, zero, sizeof a) != 0 && memcmp(a, b, sizeof a) != 0, "random bytes differ");
  static uint8_t big[200000];
  EXPECT_OK(__wasi_random_get(big, sizeof big), "random_get 200 kB");
  EXPECT(memcmp(big + sizeof big - 64, zero, 64) != 0, "the end of a large buffer is filled too");
  EXPECT_OK(__wasi_sched_yield(), "sched_yield");
  EXPECT_ERRNO(wasi_proc_raise(15), __WASI_ERRNO_NOSYS, "proc_raise: ENOSYS");
  int code = atoi(argv[argc - 1]);
  printf("exiting with %d\n", code);
  fflush(stdout);
  __wasi_proc_exit(failures ? 1 : code);
}
