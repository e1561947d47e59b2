/* argosay - a wasm port of Argo's test image argoproj/argosay, for example workflows (plain WASI).
 *
 *   argosay echo [TEXT [FILE]]      print TEXT (default "hello argo"), or write it to FILE
 *   argosay cat FILE                print FILE
 *   argosay exit [CODE]             exit with CODE (default 0)
 *   argosay flip                    print "heads" or "tails" (WASI random)
 *   argosay random-exit             exit 0 one time in three, else 1 (Argo's retry example)
 *   argosay fail-until N ATTEMPT    exit 1 while ATTEMPT < N, then print "succeeded on attempt ATTEMPT"
 *   argosay parity N                print "even" or "odd"
 *   argosay add A B                 print A + B (integers; for ports of Python one-liners)
 *   argosay sleep MILLISECONDS [CODE] sleep, then print "slept" and exit with CODE (default 0)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int usage(void) {
  fputs("usage: argosay echo|cat|exit|flip|random-exit|fail-until|parity|add|sleep [args...]\n", stderr);
  return 64;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  const char *cmd = argv[1];
  if (!strcmp(cmd, "echo")) {
    const char *text = argc > 2 ? argv[2] : "hello argo";
    if (argc > 3) {
      FILE *f = fopen(argv[3], "w");
      if (!f) { fprintf(stderr, "argosay: cannot write %s\n", argv[3]); return 1; }
      fprintf(f, "%s\n", text);
      return fclose(f) ? 1 : 0;
    }
    printf("%s\n", text);
    return 0;
  }
  if (!strcmp(cmd, "cat")) {
    if (argc < 3) return usage();
    FILE *f = fopen(argv[2], "r");
    if (!f) { fprintf(stderr, "argosay: cannot open %s\n", argv[2]); return 1; }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
  }
  if (!strcmp(cmd, "exit")) return argc > 2 ? atoi(argv[2]) : 0;
  if (!strcmp(cmd, "flip")) {
    puts(arc4random_uniform(2) ? "heads" : "tails");
    return 0;
  }
  if (!strcmp(cmd, "random-exit")) {
    int code = arc4random_uniform(3) == 0 ? 0 : 1;
    printf("exiting with %d\n", code);
    return code;
  }
  if (!strcmp(cmd, "fail-until")) {
    if (argc < 4) return usage();
    int n = atoi(argv[2]), attempt = atoi(argv[3]);
    if (attempt < n) { fprintf(stderr, "argosay: attempt %d fails (succeeds from attempt %d)\n", attempt, n); return 1; }
    printf("succeeded on attempt %d\n", attempt);
    return 0;
  }
  if (!strcmp(cmd, "parity")) {
    if (argc < 3) return usage();
    puts(atoi(argv[2]) % 2 == 0 ? "even" : "odd");
    return 0;
  }
  if (!strcmp(cmd, "add")) {
    if (argc < 4) return usage();
    printf("%lld\n", atoll(argv[2]) + atoll(argv[3]));
    return 0;
  }
  if (!strcmp(cmd, "sleep")) {
    if (argc < 3) return usage();
    long ms = atol(argv[2]);
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    puts("slept");
    return argc > 3 ? atoi(argv[3]) : 0;
  }
  return usage();
}
