/* sb — scrollback storage (include/sb.h). Lines are appended to the newest
 * of a doubly linked chain of blocks and dropped from the oldest, so every
 * block is a bump allocator whose lines all go before those of the next;
 * a block whose lines are all gone is freed (the last one of the largest
 * size is kept for reuse). Blocks start small (an idle pane holds a few
 * KiB) and double up to SB_BLOCK_MAX. The line index is a ring of
 * pointers into the blocks. */
#include "sb.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SB_BLOCK_MIN 4096
#define SB_BLOCK_MAX 65536

struct sb_block {
	struct sb_block *prev, *next; /* prev: older */
	size_t cap, used;
	int live; /* lines in it */
	_Alignas(8) unsigned char data[];
};

struct sb {
	struct sb_line **ring; /* max entries; ring[head] is the oldest */
	int max, head, count;
	struct sb_block *oldest, *newest, *spare;
	size_t bytes;    /* of the lines */
	size_t held;     /* blocks' capacity */
	size_t next_cap; /* of the next block */
};

/* What a line of n data bytes takes in a block (8-aligned). */
static size_t footprint(size_t n) { return (sizeof(struct sb_line) + n + 7) & ~(size_t)7; }

struct sb *sb_new(int max_lines)
{
	struct sb *s = xcalloc(1, sizeof *s);
	s->next_cap = SB_BLOCK_MIN;
	sb_set_max(s, max_lines);
	return s;
}

static void block_free(struct sb *s, struct sb_block *b)
{
	s->held -= b->cap;
	if (!s->spare && b->cap == SB_BLOCK_MAX) {
		s->spare = b;
		return;
	}
	free(b);
}

/* Unlinks an empty block. */
static void block_unlink(struct sb *s, struct sb_block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		s->oldest = b->next;
	if (b->next)
		b->next->prev = b->prev;
	else
		s->newest = b->prev;
	block_free(s, b);
}

void sb_clear(struct sb *s)
{
	while (s->oldest) {
		struct sb_block *b = s->oldest;
		s->oldest = b->next;
		block_free(s, b);
	}
	s->newest = NULL;
	s->head = s->count = 0;
	s->bytes = 0;
	s->next_cap = SB_BLOCK_MIN;
}

void sb_free(struct sb *s)
{
	if (!s)
		return;
	sb_clear(s);
	free(s->spare);
	free(s->ring);
	free(s);
}

void sb_set_max(struct sb *s, int max_lines)
{
	if (max_lines < 0)
		max_lines = 0;
	while (s->count > max_lines)
		sb_drop_oldest(s);
	/* re-laid from index 0 */
	struct sb_line **ring = max_lines ? xcalloc((size_t)max_lines, sizeof *ring) : NULL;
	for (int i = 0; i < s->count; i++)
		ring[i] = s->ring[(s->head + i) % s->max];
	free(s->ring);
	s->ring = ring;
	s->max = max_lines;
	s->head = 0;
	if (s->count == 0)
		sb_clear(s);
}

int sb_max(const struct sb *s) { return s->max; }
int sb_count(const struct sb *s) { return s->count; }
size_t sb_bytes(const struct sb *s) { return s->bytes; }
size_t sb_held(const struct sb *s) { return s->held + (size_t)s->max * sizeof *s->ring; }

const struct sb_line *sb_line(const struct sb *s, int n)
{
	if (n < 0 || n >= s->count)
		return NULL;
	return s->ring[(s->head + s->count - 1 - n) % s->max];
}

int sb_push(struct sb *s, const unsigned char *data, size_t n, int ncells, unsigned flags)
{
	if (s->max <= 0)
		return -1;
	if (s->count == s->max)
		sb_drop_oldest(s);
	size_t fp = footprint(n);
	struct sb_block *b = s->newest;
	if (!b || b->cap - b->used < fp) {
		size_t cap = s->next_cap > fp ? s->next_cap : fp;
		if (s->spare && s->spare->cap >= cap) {
			b = s->spare;
			s->spare = NULL;
			cap = b->cap;
		} else {
			b = xmalloc(sizeof *b + cap);
		}
		b->cap = cap;
		b->used = 0;
		b->live = 0;
		b->next = NULL;
		b->prev = s->newest;
		if (s->newest)
			s->newest->next = b;
		else
			s->oldest = b;
		s->newest = b;
		s->held += cap;
		if (s->next_cap < SB_BLOCK_MAX)
			s->next_cap *= 2;
	}
	struct sb_line *l = (struct sb_line *)(void *)(b->data + b->used);
	b->used += fp;
	b->live++;
	l->nbytes = (uint32_t)n;
	l->ncells = (uint16_t)ncells;
	l->flags = (uint8_t)flags;
	if (n)
		memcpy(l->data, data, n);
	s->ring[(s->head + s->count) % s->max] = l;
	s->count++;
	s->bytes += fp;
	return 0;
}

void sb_drop_oldest(struct sb *s)
{
	if (s->count == 0)
		return;
	struct sb_line *l = s->ring[s->head];
	s->ring[s->head] = NULL;
	s->head = (s->head + 1) % s->max;
	s->count--;
	s->bytes -= footprint(l->nbytes);
	struct sb_block *b = s->oldest; /* it holds the oldest line */
	if (--b->live == 0) {
		if (b != s->newest)
			block_unlink(s, b);
		else
			b->used = 0;
	}
}

void sb_drop_newest(struct sb *s)
{
	if (s->count == 0)
		return;
	int i = (s->head + s->count - 1) % s->max;
	struct sb_line *l = s->ring[i];
	s->ring[i] = NULL;
	s->count--;
	s->bytes -= footprint(l->nbytes);
	struct sb_block *b = s->newest; /* it holds the newest line, last */
	b->used = (size_t)((unsigned char *)l - b->data);
	if (--b->live == 0 && b != s->oldest)
		block_unlink(s, b);
}
