/* Lists the preopened directories by file descriptor ("3 /data"): for the preopen-order tests,
 * whose expectations depend on the mounts, so it has no NAME.stdout of its own. */
#include "conformance.h"

int main(void) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != 0) break;
    char buf[256] = {0};
    if (st.u.dir.pr_name_len >= sizeof buf || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, st.u.dir.pr_name_len) != 0) return 1;
    printf("%u %s\n", fd, buf);
  }
  return 0;
}
