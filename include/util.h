/* util — allocation that cannot fail silently, errors as messages, growable
 * strings. Every module may use it; it depends on nothing but libc. */
#ifndef SHOAL_UTIL_H
#define SHOAL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* Allocation failure aborts with a message: there is no sane way to go on. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Grows *v (of *cap elements of size sz) to hold at least need elements. */
void xgrow(void **v, size_t *cap, size_t need, size_t sz);

/* An error a library module hands back to its caller, for the UI to show.
 * Library modules never exit(); they fill one of these and return -1. */
struct err {
	char msg[1024];
};
/* Sets e->msg (if e) and returns -1, so `return err_set(e, ...)` reads well. */
int err_set(struct err *e, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* A growable NUL-terminated byte string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const void *p, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
/* Appends code point cp encoded as UTF-8. */
void sbuf_add_utf8(struct sbuf *b, uint32_t cp);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included. */
void sbuf_json_str(struct sbuf *b, const char *s);
char *sbuf_steal(struct sbuf *b); /* returns the string ("" if empty), resets b */
void sbuf_free(struct sbuf *b);

/* Reads a whole file; returns NULL and fills e on failure. */
char *util_read_file(const char *path, size_t *len, struct err *e);
/* A small file (a ref, a gitdir pointer) with trailing newlines removed;
 * NULL when it cannot be read. */
char *util_read_trimmed(const char *path);
/* Monotonic time in milliseconds / nanoseconds. */
uint64_t util_now_ms(void);
uint64_t util_now_ns(void);
/* 1 if s (n bytes) is valid UTF-8; else 0 and *bad = offset of the first bad byte. */
int util_utf8_valid(const char *s, size_t n, size_t *bad);
/* Levenshtein distance (with adjacent transposition), capped at max+1. */
int util_edit_distance(const char *a, const char *b, int max);
/* Returns the candidate closest to word within a distance that makes a good
 * "did you mean" suggestion, or NULL. */
const char *util_suggest(const char *word, const char *const *cands, size_t n);

#endif
