/*
 * probe - reports what the sandbox lets a module see: its arguments, its environment, its stdin,
 * and, for each path given as an argument, whether it can be opened for reading.
 * Used by weft's sandbox tests ("deny by default": no host env, no host files, empty stdin).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("arg[%d]=%s\n", i, argv[i]);
  int n = 0;
  for (char **e = environ; e && *e; e++, n++) printf("env=%s\n", *e);
  printf("envc=%d\n", n);
  char buf[256];
  size_t got = fread(buf, 1, sizeof buf - 1, stdin);
  buf[got] = 0;
  printf("stdin=%s\n", buf);
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (f) {
      printf("open %s: ok\n", argv[i]);
      fclose(f);
    } else {
      printf("open %s: %s\n", argv[i], strerror(errno));
    }
  }
  return 0;
}
