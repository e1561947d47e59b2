/* grow - allocates 1 MiB chunks (touching every page) until malloc fails, then exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1024 * 1024)

/* Chunks are chained and the head is stored through a volatile pointer, so the compiler cannot
   prove the memory unused and elide malloc/memset. */
static void *volatile head;

int main(void) {
  unsigned long mib = 0;
  while (mib < 4096) {               /* 4 GiB: unreachable in wasm32, but keeps the loop bounded */
    char *p = malloc(CHUNK);
    if (!p) {
      fprintf(stderr, "grow: out of memory after %lu MiB\n", mib);
      return 1;
    }
    memset(p, (int)(mib & 0xFF) | 1, CHUNK);   /* touch every page; the block is never freed */
    *(void **)p = head;
    head = p;
    mib++;
  }
  fprintf(stderr, "grow: stopped after %lu MiB\n", mib);
  return 0;
}
