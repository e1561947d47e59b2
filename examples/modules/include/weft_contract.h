/*
 * weft_contract.h - header-only helpers for weft contract-v1 modules (C, WASI preview1).
 *
 *   char *weft_read_file(path, &len)       whole file into a NUL-terminated malloc'd buffer
 *   int   weft_get_param(json, name, &out) find a parameter value in input.json
 *   void  weft_json_string(f, s)           write s as a quoted, escaped JSON string
 *   int   write_result(phase, msg, params, n) / weft_write_result_ex(...)  write result.json
 *
 * The JSON reader is deliberately small: it validates the document structurally while it
 * walks it, skips any value it does not need (objects/arrays recursively) and decodes the
 * string escapes \" \\ \/ \b \f \n \r \t \uXXXX (to UTF-8).
 */
#ifndef WEFT_CONTRACT_H
#define WEFT_CONTRACT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* static, and unused ones do not warn */
#define WEFT_FN static __attribute__((unused))

#define WEFT_INPUT_JSON "/work/input.json"
#define WEFT_RESULT_JSON "/work/result.json"

typedef struct { const char *name; const char *value; } weft_param;    /* output parameter */
typedef struct { const char *name; const char *path; } weft_artifact;  /* output artifact */

/* Reads a whole file. Returns a malloc'd NUL-terminated buffer (length in *len), or NULL. */
WEFT_FN char *weft_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;                        /* short read: EOF or error */
    char *bigger = realloc(buf, cap * 2 + 1);
    if (!bigger) { free(buf); buf = NULL; break; }
    buf = bigger; cap *= 2;
  }
  int err = ferror(f);
  fclose(f);
  if (!buf || err) { free(buf); return NULL; }
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

/* ---- JSON scanning: p walks the text; every function returns 0 on malformed input ---- */

typedef struct { const char *p, *end; } weft_json;

WEFT_FN void weft_ws(weft_json *j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

WEFT_FN int weft_hex4(const char *s, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

/* Parses a JSON string at j->p. If out != NULL, stores a malloc'd decoded copy (UTF-8). */
WEFT_FN int weft_string(weft_json *j, char **out) {
  weft_ws(j);
  if (j->p >= j->end || *j->p != '"') return 0;
  const char *s = ++j->p;
  /* decoded text is never longer than the raw text, so one allocation suffices */
  char *d = NULL, *w = NULL;
  if (out) { const char *q = s; while (q < j->end && *q != '"') q += (*q == '\\') ? 2 : 1;
             if (!(d = w = malloc((size_t)(q - s) + 1))) return 0; }
  for (;;) {
    if (j->p >= j->end || (unsigned char)*j->p < 0x20) goto bad;  /* unterminated / raw control */
    char c = *j->p++;
    if (c == '"') break;
    if (c != '\\') { if (w) *w++ = c; continue; }
    if (j->p >= j->end) goto bad;
    c = *j->p++;
    switch (c) {
      case '"': case '\\': case '/': break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'n': c = '\n'; break;
      case 'r': c = '\r'; break;
      case 't': c = '\t'; break;
      case 'u': {
        unsigned u, lo;
        if (j->end - j->p < 4 || !weft_hex4(j->p, &u)) goto bad;
        j->p += 4;
        if (u >= 0xD800 && u < 0xDC00 && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' &&
            weft_hex4(j->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {  /* surrogate pair */
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          j->p += 6;
        }
        if (!w) continue;
        if (u < 0x80) *w++ = (char)u;            /* \uXXXX is 6 raw bytes, UTF-8 is at most 4 */
        else if (u < 0x800) { *w++ = (char)(0xC0 | u >> 6); *w++ = (char)(0x80 | (u & 0x3F)); }
        else if (u < 0x10000) { *w++ = (char)(0xE0 | u >> 12); *w++ = (char)(0x80 | ((u >> 6) & 0x3F));
                                *w++ = (char)(0x80 | (u & 0x3F)); }
        else { *w++ = (char)(0xF0 | u >> 18); *w++ = (char)(0x80 | ((u >> 12) & 0x3F));
               *w++ = (char)(0x80 | ((u >> 6) & 0x3F)); *w++ = (char)(0x80 | (u & 0x3F)); }
        continue;
      }
      default: goto bad;
    }
    if (w) *w++ = c;
  }
  if (out) { *w = '\0'; *out = d; }
  return 1;
bad:
  free(d);
  return 0;
}

/* Skips any JSON value (recursively for objects and arrays). depth guards the C stack. */
WEFT_FN int weft_skip(weft_json *j, int depth) {
  weft_ws(j);
  if (j->p >= j->end || depth > 64) return 0;
  char c = *j->p;
  if (c == '"') return weft_string(j, NULL);
  if (c == '{' || c == '[') {
    char close = (c == '{') ? '}' : ']';
    j->p++; weft_ws(j);
    if (j->p < j->end && *j->p == close) { j->p++; return 1; }
    for (;;) {
      if (c == '{') {                              /* "key" : */
        if (!weft_string(j, NULL)) return 0;
        weft_ws(j);
        if (j->p >= j->end || *j->p++ != ':') return 0;
      }
      if (!weft_skip(j, depth + 1)) return 0;
      weft_ws(j);
      if (j->p >= j->end) return 0;
      if (*j->p == ',') { j->p++; continue; }
      if (*j->p++ == close) return 1;
      return 0;
    }
  }
  /* literal or number: consume the run of characters that can form one */
  const char *s = j->p;
  while (j->p < j->end && strchr("+-.0123456789eEtruefalsn", *j->p)) j->p++;
  size_t n = (size_t)(j->p - s);
  if (n == 0) return 0;
  if ((n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)) || (n == 4 && !memcmp(s, "null", 4)))
    return 1;
  return (*s == '-' || (*s >= '0' && *s <= '9'));   /* loose number check */
}

/* Walks one parameter object {"name":..., "value":...}; on a name match stores the value. */
WEFT_FN int weft_param_obj(weft_json *j, const char *want, char **found) {
  char *name = NULL, *val = NULL, *key;
  weft_ws(j);
  if (j->p >= j->end || *j->p++ != '{') return 0;
  weft_ws(j);
  if (j->p < j->end && *j->p == '}') { j->p++; return 1; }
  for (;;) {
    if (!weft_string(j, &key)) goto bad;
    weft_ws(j);
    if (j->p >= j->end || *j->p++ != ':') { free(key); goto bad; }
    weft_ws(j);
    if (!strcmp(key, "name") && j->p < j->end && *j->p == '"') {
      free(name);
      if (!weft_string(j, &name)) { name = NULL; free(key); goto bad; }
    } else if (!strcmp(key, "value")) {
      const char *s = j->p;
      free(val); val = NULL;
      if (j->p < j->end && *j->p == '"') { if (!weft_string(j, &val)) { free(key); goto bad; } }
      else {                                       /* non-string: keep its raw text */
        if (!weft_skip(j, 0)) { free(key); goto bad; }
        if ((val = malloc((size_t)(j->p - s) + 1))) { memcpy(val, s, (size_t)(j->p - s)); val[j->p - s] = '\0'; }
      }
    } else if (!weft_skip(j, 0)) { free(key); goto bad; }
    free(key);
    weft_ws(j);
    if (j->p >= j->end) goto bad;
    if (*j->p == ',') { j->p++; continue; }
    if (*j->p++ != '}') goto bad;
    break;
  }
  if (name && val && !*found && !strcmp(name, want)) { *found = val; val = NULL; }
  free(name); free(val);
  return 1;
bad:
  free(name); free(val);
  return 0;
}

/*
 * Finds parameter `name` in input.json text. Returns 1 and a malloc'd value in *out when found,
 * 0 when absent (*out = NULL), -1 when the document is not valid JSON of the expected shape.
 * String values are decoded; other values are returned as their raw JSON text.
 */
WEFT_FN int weft_get_param(const char *json, const char *name, char **out) {
  weft_json j = { json, json + strlen(json) };
  char *key, *found = NULL;
  *out = NULL;
  weft_ws(&j);
  if (j.p >= j.end || *j.p++ != '{') return -1;
  weft_ws(&j);
  if (j.p < j.end && *j.p == '}') j.p++;
  else for (;;) {
    if (!weft_string(&j, &key)) goto bad;
    weft_ws(&j);
    if (j.p >= j.end || *j.p++ != ':') { free(key); goto bad; }
    weft_ws(&j);
    if (!strcmp(key, "parameters") && j.p < j.end && *j.p == '[') {
      j.p++; weft_ws(&j);
      if (j.p < j.end && *j.p == ']') j.p++;
      else for (;;) {
        if (!weft_param_obj(&j, name, &found)) { free(key); goto bad; }
        weft_ws(&j);
        if (j.p < j.end && *j.p == ',') { j.p++; continue; }
        if (j.p < j.end && *j.p++ == ']') break;
        free(key); goto bad;
      }
    } else if (!weft_skip(&j, 0)) { free(key); goto bad; }
    free(key);
    weft_ws(&j);
    if (j.p < j.end && *j.p == ',') { j.p++; continue; }
    if (j.p < j.end && *j.p++ == '}') break;
    goto bad;
  }
  weft_ws(&j);
  if (j.p != j.end) goto bad;                       /* trailing garbage */
  *out = found;
  return found ? 1 : 0;
bad:
  free(found);
  return -1;
}

/* ---- writing ---- */

/* Writes s as a JSON string literal: escapes " \ and control characters, passes UTF-8 through. */
WEFT_FN void weft_json_string(FILE *f, const char *s) {
  putc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    switch (c) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      default:
        if (c < 0x20 || c == 0x7F) fprintf(f, "\\u%04x", c);
        else putc(c, f);
    }
  }
  putc('"', f);
}

/* Writes /work/result.json. Returns 0 on success, -1 if the file could not be written. */
WEFT_FN int weft_write_result_ex(const char *phase, const char *message,
                                const weft_param *params, size_t n_params,
                                const weft_artifact *artifacts, size_t n_artifacts) {
  FILE *f = fopen(WEFT_RESULT_JSON, "w");
  if (!f) return -1;
  fputs("{\"phase\":", f); weft_json_string(f, phase);
  fputs(",\"message\":", f); weft_json_string(f, message);
  fputs(",\"outputs\":{\"parameters\":[", f);
  for (size_t i = 0; i < n_params; i++) {
    fputs(i ? ",{\"name\":" : "{\"name\":", f); weft_json_string(f, params[i].name);
    fputs(",\"value\":", f); weft_json_string(f, params[i].value); putc('}', f);
  }
  fputs("],\"artifacts\":[", f);
  for (size_t i = 0; i < n_artifacts; i++) {
    fputs(i ? ",{\"name\":" : "{\"name\":", f); weft_json_string(f, artifacts[i].name);
    fputs(",\"path\":", f); weft_json_string(f, artifacts[i].path); putc('}', f);
  }
  fputs("]}}\n", f);
  return (ferror(f) | fclose(f)) ? -1 : 0;
}

WEFT_FN int write_result(const char *phase, const char *message, const weft_param *params, size_t n) {
  return weft_write_result_ex(phase, message, params, n, NULL, 0);
}

#endif /* WEFT_CONTRACT_H */
