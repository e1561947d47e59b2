/*
 * compute - CPU benchmark kernels; the same source builds natively (gcc) and for wasm32-wasi.
 *
 *   compute <kernel> <size> <reps>
 *     fib <n>          recursive Fibonacci fib(n)               checksum: fib(n)
 *     desaturate <n>   n x n RGB image to grey (integer luma)   checksum: sum of output bytes
 *     sha256 <n>       SHA-256 of an n-byte buffer              checksum: hex digest
 *
 * Inputs are generated deterministically (xorshift32) before timing. Each repetition runs the
 * kernel once on the same input and prints "rep <i> <nanoseconds>" (CLOCK_MONOTONIC); the last
 * line is "checksum <value>", which must be identical on every engine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *volatile sink;           /* makes buffers escape so no repetition can be skipped */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void fill(uint8_t *buf, size_t n, uint32_t seed) {
  uint32_t x = seed;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    buf[i] = (uint8_t)(x >> 24);
  }
}

/* ---- fib ---- */

__attribute__((noinline)) static uint64_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* ---- desaturate ---- */

__attribute__((noinline)) static void desaturate(const uint8_t *in, uint8_t *out, size_t pixels) {
  for (size_t i = 0; i < pixels; i++) {
    uint32_t r = in[3 * i], g = in[3 * i + 1], b = in[3 * i + 2];
    uint8_t luma = (uint8_t)((77 * r + 150 * g + 29 * b) >> 8);
    out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = luma;
  }
}

/* ---- sha256 (FIPS 180-4) ---- */

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

__attribute__((noinline)) static void sha256(const uint8_t *data, size_t n, uint8_t digest[32]) {
  uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  size_t full = n / 64 * 64;
  for (size_t i = 0; i < full; i += 64) sha256_block(h, data + i);
  /* padding: 0x80, zeros, 64-bit big-endian bit length; one or two final blocks */
  uint8_t tail[128] = { 0 };
  size_t rest = n - full, len = rest + 9 <= 64 ? 64 : 128;
  memcpy(tail, data + full, rest);
  tail[rest] = 0x80;
  uint64_t bits = (uint64_t)n * 8;
  for (int i = 0; i < 8; i++) tail[len - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (size_t i = 0; i < len; i += 64) sha256_block(h, tail + i);
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (uint8_t)(h[i] >> 24); digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
    digest[4 * i + 2] = (uint8_t)(h[i] >> 8); digest[4 * i + 3] = (uint8_t)h[i];
  }
}

/* ---- driver ---- */

static int usage(void) {
  fputs("usage: compute <fib|desaturate|sha256> <size> <reps>\n", stderr);
  return 2;
}

int main(int argc, char **argv) {
  if (argc != 4) return usage();
  const char *kernel = argv[1];
  char *end;
  unsigned long size = strtoul(argv[2], &end, 10);
  if (*end || !*argv[2]) return usage();
  long reps = strtol(argv[3], &end, 10);
  if (*end || reps < 1) return usage();

  if (!strcmp(kernel, "fib")) {
    if (size > 90) { fputs("compute: fib size must be <= 90\n", stderr); return 2; }
    volatile uint32_t n = (uint32_t)size;
    uint64_t result = 0;
    for (long i = 0; i < reps; i++) {
      uint64_t t0 = now_ns();
      result = fib(n);
      uint64_t t1 = now_ns();
      sink = &result;
      printf("rep %ld %llu\n", i, (unsigned long long)(t1 - t0));
    }
    printf("checksum %llu\n", (unsigned long long)result);
  } else if (!strcmp(kernel, "desaturate")) {
    if (size == 0 || size > 16384) { fputs("compute: desaturate size must be 1..16384\n", stderr); return 2; }
    size_t pixels = (size_t)size * size;
    uint8_t *in = malloc(pixels * 3), *out = malloc(pixels * 3);
    if (!in || !out) { fputs("compute: out of memory\n", stderr); return 1; }
    fill(in, pixels * 3, 0x2545F491u);
    memset(out, 0, pixels * 3);       /* fault the output pages in before timing */
    sink = in; sink = out;
    for (long i = 0; i < reps; i++) {
      uint64_t t0 = now_ns();
      desaturate(in, out, pixels);
      uint64_t t1 = now_ns();
      printf("rep %ld %llu\n", i, (unsigned long long)(t1 - t0));
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < pixels * 3; i++) sum += out[i];
    printf("checksum %llu\n", (unsigned long long)sum);
  } else if (!strcmp(kernel, "sha256")) {
    uint8_t *data = malloc(size ? size : 1), digest[32];
    if (!data) { fputs("compute: out of memory\n", stderr); return 1; }
    fill(data, size, 0x9E3779B9u);
    sink = data;
    for (long i = 0; i < reps; i++) {
      uint64_t t0 = now_ns();
      sha256(data, size, digest);
      uint64_t t1 = now_ns();
      sink = digest;
      printf("rep %ld %llu\n", i, (unsigned long long)(t1 - t0));
    }
    printf("checksum ");
    for (int i = 0; i < 32; i++) printf("%02x", digest[i]);
    printf("\n");
  } else {
    return usage();
  }
  return 0;
}
