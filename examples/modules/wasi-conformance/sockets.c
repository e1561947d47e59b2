/* Sockets: weft gives tasks none, so every socket call returns an errno (never traps). */
#include "conformance.h"

int main(int argc, char **argv) {
  (void)argc, (void)argv;
  __wasi_fd_t fd;
  uint8_t byte = 0;
  __wasi_iovec_t iov = {&byte, 1};
  __wasi_ciovec_t ciov = {&byte, 1};
  __wasi_size_t n;
  __wasi_roflags_t ro;
  EXPECT_ERRNO(__wasi_sock_accept(1, 0, &fd), __WASI_ERRNO_NOTSOCK, "sock_accept on stdout: ENOTSOCK");
  EXPECT_ERRNO(__wasi_sock_recv(0, &iov, 1, 0, &n, &ro), __WASI_ERRNO_NOTSOCK, "sock_recv on stdin: ENOTSOCK");
  EXPECT_ERRNO(__wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK, "sock_send on stdout: ENOTSOCK");
  EXPECT_ERRNO(__wasi_sock_shutdown(2, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK, "sock_shutdown on stderr: ENOTSOCK");
  EXPECT_ERRNO(__wasi_sock_accept(99, 0, &fd), __WASI_ERRNO_BADF, "sock_accept on a closed fd: EBADF");
  EXPECT_ERRNO(__wasi_sock_recv(99, &iov, 1, 0, &n, &ro), __WASI_ERRNO_BADF, "sock_recv on a closed fd: EBADF");
  EXPECT_ERRNO(__wasi_sock_send(99, &ciov, 1, 0, &n), __WASI_ERRNO_BADF, "sock_send on a closed fd: EBADF");
  EXPECT_ERRNO(__wasi_sock_shutdown(99, __WASI_SDFLAGS_RD), __WASI_ERRNO_BADF, "sock_shutdown on a closed fd: EBADF");
  return finish();
}
