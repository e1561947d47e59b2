/*
 * opmix - a broad mix of WebAssembly instructions in a few milliseconds of work.
 *
 * weft serve runs it during its warm start (with the Rust "workload" module and hello) so that
 * the JVM has compiled Chicory's parser, validator and interpreter with a profile that has seen
 * most opcodes. A module new to the server is then parsed and interpreted by code that does not
 * fall back to the JVM's own interpreter when it meets an opcode the warm-up never used.
 * Every value depends on the input, so the compiler cannot fold the work away.
 * Output parameter "checksum"; contract v1.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../include/weft_contract.h"

typedef uint64_t (*op64)(uint64_t, uint64_t);
static uint64_t add64(uint64_t a, uint64_t b) { return a + b; }
static uint64_t mul64(uint64_t a, uint64_t b) { return a * (b | 1); }
static uint64_t xor64(uint64_t a, uint64_t b) { return a ^ (b << 7) ^ (b >> 3); }
static uint64_t div64(uint64_t a, uint64_t b) { return a / (b | 1) + a % (b | 3); }
static const op64 OPS[] = {add64, mul64, xor64, div64};

static int32_t ints(int32_t a, int32_t b) {
  uint32_t ua = (uint32_t)a, ub = (uint32_t)b | 1u;
  int32_t r = a + b;
  r ^= a - b;
  r += a * b;
  r ^= (b != 0 && !(a == INT32_MIN && b == -1)) ? a / b + a % b : 1;
  r += (int32_t)(ua / ub + ua % ub);
  r ^= (a & b) | (a ^ ~b);
  r += (a << (b & 31)) ^ (a >> (b & 31)) ^ (int32_t)(ua >> (ub & 31));
  r ^= (int32_t)((ua << 5) | (ua >> 27)) ^ (int32_t)((ua >> 7) | (ua << 25));
  r += __builtin_clz(ua | 1) + __builtin_ctz(ua | 0x80000000u) + __builtin_popcount(ua);
  r ^= (a < b) + (a <= b) * 2 + (a > b) * 4 + (a >= b) * 8 + (a == b) * 16 + (a != b) * 32;
  r += (ua < ub) + (ua <= ub) * 2 + (ua > ub) * 4 + (ua >= ub) * 8 + !a;
  return r;
}

static int64_t longs(int64_t a, int64_t b) {
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b | 1u;
  int64_t r = a + b;
  r ^= a - b;
  r += a * b;
  r ^= (b != 0 && !(a == INT64_MIN && b == -1)) ? a / b + a % b : 1;
  r += (int64_t)(ua / ub + ua % ub);
  r ^= (a & b) | (a ^ ~b);
  r += (a << (b & 63)) ^ (a >> (b & 63)) ^ (int64_t)(ua >> (ub & 63));
  r ^= (int64_t)((ua << 13) | (ua >> 51)) ^ (int64_t)((ua >> 17) | (ua << 47));
  r += __builtin_clzll(ua | 1) + __builtin_ctzll(ua | (1ull << 63)) + __builtin_popcountll(ua);
  r ^= (a < b) + (a <= b) * 2 + (a > b) * 4 + (a >= b) * 8 + (a == b) * 16 + (a != b) * 32;
  r += (ua < ub) + (ua <= ub) * 2 + (ua > ub) * 4 + (ua >= ub) * 8 + !a;
  r += (int32_t)a + (int64_t)(uint32_t)b; /* wrap, extend_s, extend_u */
  return r;
}

static double floats(double x, float y) {
  double d = x * 1.5 + y;
  d = d / (fabs(x) + 1.0) - sqrt(fabs(d) + 2.0);
  d += fmin(x, d) + fmax(x, d) + copysign(d, -x) + -d;
  d += ceil(d) + floor(d) + trunc(d) + nearbyint(d);
  float f = y * 0.5f + (float)x;
  f = f / (fabsf(y) + 1.0f) - sqrtf(fabsf(f) + 2.0f);
  f += fminf(y, f) + fmaxf(y, f) + copysignf(f, -y) + -f;
  f += ceilf(f) + floorf(f) + truncf(f) + nearbyintf(f);
  int cmp = (d < f) + (d <= f) * 2 + (d > f) * 4 + (d >= f) * 8 + (d == f) * 16 + (d != f) * 32 + (f < y) + (f > y) + (f == y);
  if (fabs(d) < 1e9) cmp += (int32_t)d + (int)(uint32_t)fabs(d) + (int)(int64_t)d + (int)(uint64_t)fabs(d);
  if (fabsf(f) < 1e9f) cmp += (int32_t)f + (int)(uint32_t)fabsf(f) + (int)(int64_t)f + (int)(uint64_t)fabsf(f);
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  uint32_t fbits;
  memcpy(&fbits, &f, sizeof fbits);
  return d + (double)f + cmp + (double)(bits & 0xff) + (float)(fbits & 0xff) + (double)(int64_t)cmp + (float)(uint32_t)cmp
      + (double)(uint64_t)(unsigned)cmp + (float)(int64_t)cmp;
}

struct packed {
  int8_t i8;
  uint8_t u8;
  int16_t i16;
  uint16_t u16;
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  float f32;
  double f64;
};

static int64_t memory(struct packed *p, size_t n, int32_t seed) {
  for (size_t i = 0; i < n; i++) {
    p[i].i8 = (int8_t)(seed + i);
    p[i].u8 = (uint8_t)(seed * 3 + i);
    p[i].i16 = (int16_t)(seed * 5 - i);
    p[i].u16 = (uint16_t)(seed * 7 + i);
    p[i].i32 = seed * (int32_t)i;
    p[i].u32 = (uint32_t)seed ^ (uint32_t)i;
    p[i].i64 = (int64_t)seed * (int64_t)i * 1000003;
    p[i].f32 = (float)i / 3.0f;
    p[i].f64 = (double)seed / (double)(i + 1);
  }
  int64_t sum = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t wide = p[i].i8; /* i64.load8_s ... */
    wide += (int64_t)p[i].u8 + (int64_t)p[i].i16 + (int64_t)p[i].u16 + (int64_t)p[i].i32 + (int64_t)p[i].u32;
    sum += wide + p[i].i8 + p[i].u8 + p[i].i16 + p[i].u16 + p[i].i64 + (int64_t)p[i].f32 + (int64_t)p[i].f64;
  }
  return sum;
}

static int state_machine(const char *s, int seed) { /* br_table */
  int state = seed & 7, score = 0;
  for (; *s; s++) {
    switch ((state + *s) % 9) {
      case 0: score += 3; state = 2; break;
      case 1: score ^= *s; state = 5; break;
      case 2: score -= 1; state = 7; break;
      case 3: score *= 3; state = 1; break;
      case 4: score += *s >> 1; state = 0; break;
      case 5: score |= 16; state = 3; break;
      case 6: score &= 0xffff; state = 6; break;
      case 7: score += state; state = 4; break;
      default: score -= 7; state = 8; break;
    }
  }
  return score;
}

static uint64_t recurse(uint64_t n, uint64_t acc) { return n == 0 ? acc : recurse(n - 1, OPS[n & 3](acc, n)); }

int main(void) {
  char *json = weft_read_file(WEFT_INPUT_JSON, NULL);
  if (!json) {
    fprintf(stderr, "opmix: cannot read %s\n", WEFT_INPUT_JSON);
    return 1;
  }
  char *name;
  int r = weft_get_param(json, "name", &name);
  if (r < 0) {
    fprintf(stderr, "opmix: %s is not valid JSON\n", WEFT_INPUT_JSON);
    return 1;
  }
  const char *text = r ? name : "opmix";
  int32_t seed = (int32_t)strlen(text) + (int32_t)strlen(json);

  uint64_t sum = 0;
  double fsum = 0;
  for (int32_t i = 0; i < 64; i++) {
    sum += (uint64_t)ints(seed * i - 17, i ^ seed);
    sum ^= (uint64_t)longs((int64_t)seed * i * 7919 - 3, (int64_t)i - seed);
    fsum += floats((double)(seed - i) / 7.0, (float)i * 0.25f);
    sum += OPS[(seed + i) & 3](sum, (uint64_t)i); /* call_indirect */
    sum += (i & 1) ? sum >> 3 : sum << 2;      /* select */
  }
  size_t n = 64 + (size_t)(seed & 63);
  struct packed *p = malloc(n * sizeof *p);
  char *big = malloc(1 << 20); /* memory.grow */
  if (!p || !big) { fputs("opmix: out of memory\n", stderr); return 1; }
  sum += (uint64_t)memory(p, n, seed);
  memset(big, seed & 0x7f, 8192); /* the allocation grows memory; only part of it is touched */
  memmove(big + 1, big, 4096);
  sum += (uint64_t)big[4095] + (uint64_t)__builtin_wasm_memory_size(0);
  sum += (uint64_t)state_machine(json, seed) + recurse(200, (uint64_t)seed);
  free(big);
  free(p);

  char value[64], message[96];
  snprintf(value, sizeof value, "%016llx", (unsigned long long)(sum ^ (uint64_t)(int64_t)fsum));
  snprintf(message, sizeof message, "mixed %d rounds, %.3f", 64, fsum);
  weft_param out = {"checksum", value};
  if (write_result("Succeeded", message, &out, 1) != 0) {
    fprintf(stderr, "opmix: cannot write %s\n", WEFT_RESULT_JSON);
    return 1;
  }
  return 0;
}
