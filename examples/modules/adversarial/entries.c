/*
 * entries - creates empty files (or, with the argument "dirs", empty directories) /tmp/e/<n> until
 * one is refused or COUNT (argv[2], default 1,000,000) exist. Prints "entries: created <n>" and
 * exits 0, or "entries: refused after <n>: <error>" on stderr and exits 1. Each entry holds no
 * data block, so only a per-entry charge can stop it before the host's heap does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int dirs = argc > 1 && strcmp(argv[1], "dirs") == 0;
  long count = argc > 2 ? atol(argv[2]) : 1000000;
  if (mkdir("/tmp/e", 0755) != 0) {
    perror("entries: /tmp/e");
    return 1;
  }
  char path[64];
  for (long n = 0; n < count; n++) {
    snprintf(path, sizeof path, "/tmp/e/%ld", n);
    int failed;
    if (dirs) {
      failed = mkdir(path, 0755) != 0;
    } else {
      int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
      failed = fd < 0;
      if (!failed) close(fd);
    }
    if (failed) {
      fprintf(stderr, "entries: refused after %ld: %s\n", n, strerror(errno));
      return 1;
    }
  }
  printf("entries: created %ld\n", count);
  return 0;
}
