/* color — terminal colours (default / indexed / RGB) → curses colour numbers
 * and colour pairs. The pure mapping functions take the number of colours
 * the outer terminal has, so they are testable without a terminal; the pair
 * functions use ncurses' alloc_pair(). */
#ifndef SHOAL_COLOR_H
#define SHOAL_COLOR_H

#include <stdint.h>

enum color_kind { COLOR_KIND_DEFAULT, COLOR_KIND_INDEXED, COLOR_KIND_RGB };

struct color {
	uint8_t kind; /* enum color_kind */
	uint8_t idx;  /* COLOR_KIND_INDEXED */
	uint8_t r, g, b;
};

/* Nearest xterm-256 colour to an RGB triple: the 6x6x6 cube (levels 0, 95,
 * 135, 175, 215, 255) or the grey ramp 232-255 (8 + 10i), by squared
 * distance. Never returns 0-15, whose look the user's theme decides. */
int color_rgb_to_256(uint8_t r, uint8_t g, uint8_t b);
/* Nearest of the 16 standard xterm colours. */
int color_rgb_to_16(uint8_t r, uint8_t g, uint8_t b);
/* The xterm palette's RGB value of an index 0-255. */
void color_index_rgb(int idx, uint8_t *r, uint8_t *g, uint8_t *b);

/* The curses colour number for c on a terminal with ncolors colours: -1 for
 * the default (use_default_colors), indexes passed through when they exist,
 * otherwise the nearest available. With 8 colours, bright 8-15 map to 0-7
 * and *bold is set to 1 (for a foreground, the caller adds A_BOLD); bold may
 * be NULL. */
int color_number(const struct color *c, int ncolors, int *bold);

/* The curses pair for (fg, bg) colour numbers via alloc_pair, cached for the
 * last combination asked; 0 for (-1, -1) or when colours are off. */
int color_pair(int fg, int bg);
/* Call once after start_color()/use_default_colors(): records COLORS and
 * whether colours are usable. */
void color_init(void);
/* COLORS as recorded by color_init (0 when there is no colour). */
int color_count(void);

#endif
