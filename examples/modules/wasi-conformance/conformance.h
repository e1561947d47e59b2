/* Shared helpers of the WASI preview 1 conformance modules: each check prints one line,
 * "ok <what>" or "FAIL <what>: ...", and the module exits 1 if any check failed. The expected
 * stdout (<module>.stdout) lists every "ok" line, so a failure shows as a diff naming the check. */
#ifndef WEFT_CONFORMANCE_H
#define WEFT_CONFORMANCE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int failures;

#define EXPECT(cond, what)                                          \
  do {                                                              \
    if (cond) printf("ok %s\n", what);                              \
    else { printf("FAIL %s\n", what); failures++; }                 \
  } while (0)

#define EXPECT_ERRNO(call, want, what)                              \
  do {                                                              \
    __wasi_errno_t e_ = (call);                                     \
    if (e_ == (want)) printf("ok %s\n", what);                      \
    else { printf("FAIL %s: errno %d, want %d\n", what, e_, want); failures++; } \
  } while (0)

#define EXPECT_OK(call, what) EXPECT_ERRNO(call, __WASI_ERRNO_SUCCESS, what)

/* The preopened directory named `name` (the test directory, given as argv[1]). */
static inline __wasi_fd_t preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != 0) continue;
    char buf[256];
    if (st.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, st.u.dir.pr_name_len) != 0) continue;
    buf[st.u.dir.pr_name_len] = 0;
    if (strcmp(buf, name) == 0) return fd;
  }
  printf("FAIL no preopen named %s\n", name);
  exit(2);
}

static const __wasi_rights_t ALL = 0x3fffffff;

/* Opens (creating) a file for reading and writing. */
static inline __wasi_fd_t open_rw(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags, __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_errno_t e = __wasi_path_open(dir, 0, path, oflags, ALL, ALL, fdflags, &fd);
  if (e != 0) printf("FAIL open %s: errno %d\n", path, e), failures++;
  return fd;
}

static inline __wasi_errno_t write_str(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t v = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &v, 1, &n);
}

/* Reads up to size-1 bytes at the current position into buf, NUL-terminated. */
static inline __wasi_errno_t read_str(__wasi_fd_t fd, char *buf, size_t size) {
  __wasi_iovec_t v = {(uint8_t *)buf, size - 1};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_read(fd, &v, 1, &n);
  buf[e == 0 ? n : 0] = 0;
  return e;
}

static inline void make_file(__wasi_fd_t dir, const char *path, const char *content) {
  __wasi_fd_t fd = open_rw(dir, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0);
  if (write_str(fd, content) != 0) printf("FAIL write %s\n", path), failures++;
  (void)__wasi_fd_close(fd);
}

static inline int finish(void) {
  printf(failures ? "FAILED %d\n" : "PASSED\n", failures);
  return failures ? 1 : 0;
}
#endif
