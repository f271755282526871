/* term_int — the terminal's private parts shared by its two files:
 * src/term.c (libvterm's state callbacks, life cycle, resize, output,
 * key / mouse / paste / focus encoding, properties) and src/term_feed.c
 * (the feed pre-scanner and its fast paths). It includes vterm.h, since
 * struct term holds libvterm's state: nothing but term.c and term_feed.c
 * includes this header (everyone else uses term.h). */
#ifndef SHOAL_TERM_INT_H
#define SHOAL_TERM_INT_H

#include <stddef.h>
#include <stdint.h>

#include <vterm.h>

#include "grid.h"
#include "term.h"

#define TERM_TITLE_MAX 256

struct term {
	VTerm *vt;
	VTermState *st;
	struct grid *g;
	int rows, cols;

	/* bytes for the child */
	char *out;
	size_t out_off, out_len, out_cap;
	int probing, probe_hit;

	/* feed pre-scanner */
	int sc;
	int nohold;          /* the current sequence overflowed the carry: feed it */
	int csi_plain;       /* the CSI so far has no leader or intermediates */
	int csi_nsep;        /* argument separators in the CSI so far */
	int csi_val;         /* value of the CSI's first argument so far */
	int csi_len;         /* bytes of the CSI so far */
	int csi_phase;       /* 0 leader, 1 arguments, 2 intermediates (0.1.4's
			      * parser states: a byte out of place ends it) */
	int esc_hash;        /* the escape so far is ESC # */
	int utf8_need;       /* SC_UTF8: continuation bytes still to come */
	int rep_width;       /* width of the last glyph put (what REP repeats) */
	int resize_phantom;  /* term_resize: the cursor is at the pending wrap */
	int protect;         /* the grid pen's DECSCA protection, mirrored */
	unsigned sgr_extra;  /* GRID_ATTR_DIM / _CONCEAL: SGRs 0.1.4 does not know */
	unsigned sgr_next;   /* what the SGR (or DECRC) being fed leaves of them */
	unsigned sgr_saved;  /* and what DECSC (ESC 7) saved, for DECRC (ESC 8) */
	int ready;           /* term_new's reset is over */
	int shape_seen;      /* the child set the cursor shape or blink */
	char *carry;         /* head of an unfinished sequence from earlier feeds */
	size_t carry_len, carry_cap;

	/* soft-wrap tracking: the last glyph was put on row wc_row, ending at
	 * column wc_end, and the cursor has not moved elsewhere since */
	int wc_valid, wc_row, wc_end;

	/* The plain-text fast path (fast_run): what libvterm's state must be
	 * for printable ASCII to go straight into the grid, mirrored from the
	 * bytes it is fed. Sticky flags stay set (the fast path stays off)
	 * where 0.1.4's state cannot be known for sure. */
	int gl;              /* GL charset: G0-G3 (SO, SI, LS2, LS3) */
	int g_ascii[4];      /* G0-G3 designated US-ASCII */
	int single_shift;    /* SS2/SS3 waiting for the next glyph */
	int irm;             /* insert mode (CSI 4 h) */
	int lrmm;            /* left/right margin mode (CSI ? 69 h): 0.1.4
			      * then wraps and moves oddly */
	int decom;           /* origin mode (CSI ? 6 h): 0.1.4 then clamps the
			      * cursor into the region at the end of every CSI */
	int sticky_slow;     /* DECDWL/DECDHL lines or DECSCA seen */
	int ph, ph_row, ph_col; /* a glyph ended at the right edge here: the
				 * cursor may be at the pending wrap */
	int last_hi;         /* the last byte fed to libvterm was >= 0x80 */
	int esc_int;         /* SC_ESC_INT: first intermediate of the escape */
	int str_dcs;         /* SC_STR: the string is a DCS */
	/* SGR sequences in the common forms set the grid's pen here and are
	 * not fed to libvterm (sgr_fast); its own pen is then stale, and is
	 * brought up to date (pen_sync) before anything that reads it: saving
	 * the cursor, DECRQSS, an SGR it must parse itself. */
	int vt_pen_stale;
	int esc_nint;        /* SC_ESC_INT: intermediates seen */
	/* Line ends (CR, LF) and the last glyph of a run also bypass
	 * libvterm (fast_run, fast_ctl), which then lags behind: its cursor
	 * is not ours (vt_lazy), and the last glyph it put is not the last
	 * one there was (lg_lazy: that was lg_ch at lg_row, lg_col; REP
	 * repeats it and a combining mark joins it). term_vt_catch_up brings it
	 * up to date, with its callbacks muted, before it is fed anything. */
	int vt_lazy, lg_lazy, lg_row, lg_col;
	char lg_ch;
	int muted;
	int lnm;             /* new-line mode (CSI 20 h): LF is CR LF */
	/* 0.1.4 decodes a text run that starts with ASCII with G0's UTF-8
	 * decoder, and one that starts with a byte >= 0x80 with another; a
	 * malformed sequence can leave either waiting for continuation bytes,
	 * and G0's then turns the next ASCII run's first character into
	 * U+FFFD + it. gl_dirty: G0's may be waiting (fast_run leaves the
	 * next run's first character to libvterm). */
	int gl_dirty;
	int region;          /* a scroll region (DECSTBM) may be set */

	struct grid_cursor cur;
	char title[TERM_TITLE_MAX], icon[TERM_TITLE_MAX];
	int title_changed, bells, alt, mouse;

	term_osc_fn *osc_fn;
	void *osc_user;
};

/* ---- term.c: helpers term_feed.c calls too (inline: the fast paths
 * call them per run and per line) ---- */

static inline void term_set_bit(uint16_t *a, uint16_t bit, int on)
{
	if (on)
		*a |= bit;
	else
		*a &= (uint16_t)~bit;
}

/* The cursor moved (libvterm's, or ours in the fast paths). */
static inline void term_cursor_moved(struct term *t, int row, int col, int visible)
{
	if (t->wc_valid) {
		int c = t->wc_end < t->cols ? t->wc_end : t->cols - 1;
		if (row != t->wc_row || col != c)
			t->wc_valid = 0;
	}
	if (t->ph && (row != t->ph_row || col != t->ph_col))
		t->ph = 0;
	t->cur.row = row;
	t->cur.col = col;
	t->cur.visible = visible;
	grid_move_cursor(t->g, row, col, visible);
}

static inline int term_cb_scrollrect(VTermRect r, int down, int right, void *user)
{
	struct term *t = user;
	if (t->wc_valid && down && r.start_col == 0 && r.end_col == t->cols &&
	    t->wc_row >= r.start_row && t->wc_row < r.end_row) {
		t->wc_row -= down;
		if (t->wc_row < r.start_row || t->wc_row >= r.end_row)
			t->wc_valid = 0;
	}
	grid_scroll(t->g, r.start_row, r.end_row, r.start_col, r.end_col, down, right);
	return 1;
}

/* ---- term_feed.c: what term_resize needs ---- */

/* Brings libvterm up to date before it is fed p[0..n), or (p NULL)
 * before anything else reads it (see vt_lazy in struct term). */
void term_vt_catch_up(struct term *t, const char *p, size_t n);
/* Feeds p[0..n) to libvterm as it is, catching it up first. */
void term_feed_raw(struct term *t, const char *p, size_t n);

#endif
