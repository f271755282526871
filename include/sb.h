/* sb — a terminal's scrollback storage: encoded lines kept oldest first, in
 * a chain of byte blocks, with no allocation per line (src/sb.c). What a
 * line's bytes mean is the grid's business (grid_sb.c encodes and decodes);
 * so is the policy (when to drop, the view offset). */
#ifndef SHOAL_SB_H
#define SHOAL_SB_H

#include <stddef.h>
#include <stdint.h>

struct sb_line {
	uint32_t nbytes;  /* of data */
	uint16_t ncells;  /* cells of the line (trailing blanks trimmed) */
	uint8_t flags;    /* the grid's row flags kept with it */
	unsigned char data[];
};

struct sb;

/* A store for at most max_lines lines (0: none are kept). */
struct sb *sb_new(int max_lines);
void sb_free(struct sb *s);
/* Keeps the newest max_lines lines (0: none). */
void sb_set_max(struct sb *s, int max_lines);
int sb_max(const struct sb *s);
int sb_count(const struct sb *s);
/* Bytes the lines take (headers and data, as stored). */
size_t sb_bytes(const struct sb *s);
/* Bytes held from the allocator (blocks and the line index). */
size_t sb_held(const struct sb *s);
/* Line n, 0 = the newest; NULL past the end. Valid until the next change. */
const struct sb_line *sb_line(const struct sb *s, int n);
/* Appends a line (dropping the oldest first if the store is full).
 * Returns -1 if the store keeps no lines. */
int sb_push(struct sb *s, const unsigned char *data, size_t n, int ncells, unsigned flags);
void sb_drop_oldest(struct sb *s);
void sb_drop_newest(struct sb *s);
void sb_clear(struct sb *s);

#endif
