#!/usr/bin/python3
"""ansi2png — renders a terminal screen captured with `tmux capture-pane -e -p`
(text with SGR colour sequences) into a PNG, one monospace cell per column.
usage: ansi2png.py IN.ansi OUT.png COLS ROWS   (needs python3-pil)"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
FONT_FALLBACK = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Braille spinners
SIZE = 15
BG = (24, 24, 28)
FG = (220, 220, 220)
BASE16 = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200),
          (188, 63, 188), (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76),
          (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219),
          (255, 255, 255)]


def xterm(i):
    if i < 16:
        return BASE16[i]
    if i < 232:
        i -= 16
        lv = [0, 95, 135, 175, 215, 255]
        return (lv[i // 36], lv[i // 6 % 6], lv[i % 6])
    g = 8 + 10 * (i - 232)
    return (g, g, g)


def parse(text, cols, rows):
    grid = [[(" ", FG, BG, False, False)] * cols for _ in range(rows)]
    for y, line in enumerate(text.split("\n")[:rows]):
        fg, bg, bold, rev, ul = None, None, False, False, False
        x = 0
        for tok in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if tok.startswith("\x1b["):
                ps = [int(p) if p else 0 for p in re.split("[;:]", tok[2:-1])] or [0]
                i = 0
                while i < len(ps):
                    p = ps[i]
                    if p == 0:
                        fg, bg, bold, rev, ul = None, None, False, False, False
                    elif p == 1:
                        bold = True
                    elif p == 22:
                        bold = False
                    elif p == 4:
                        ul = True
                    elif p == 24:
                        ul = False
                    elif p == 7:
                        rev = True
                    elif p == 27:
                        rev = False
                    elif 30 <= p <= 37:
                        fg = xterm(p - 30)
                    elif 90 <= p <= 97:
                        fg = xterm(p - 90 + 8)
                    elif 40 <= p <= 47:
                        bg = xterm(p - 40)
                    elif 100 <= p <= 107:
                        bg = xterm(p - 100 + 8)
                    elif p == 39:
                        fg = None
                    elif p == 49:
                        bg = None
                    elif p in (38, 48) and i + 1 < len(ps):
                        if ps[i + 1] == 5 and i + 2 < len(ps):
                            c = xterm(ps[i + 2])
                            i += 2
                        elif ps[i + 1] == 2 and i + 4 < len(ps):
                            c = tuple(ps[i + 2:i + 5])
                            i += 4
                        else:
                            c = None
                        if p == 38:
                            fg = c
                        else:
                            bg = c
                    i += 1
                continue
            for ch in tok:
                if x >= cols:
                    break
                f, b = fg or FG, bg or BG
                if rev:
                    f, b = b, f
                grid[y][x] = (ch, f, b, bold, ul)
                w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
                x += w
    return grid


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    text = open(src, encoding="utf-8", errors="replace").read()
    font = ImageFont.truetype(FONT, SIZE)
    bold = ImageFont.truetype(FONT_BOLD, SIZE)
    try:
        fallback = ImageFont.truetype(FONT_FALLBACK, SIZE)
    except OSError:
        fallback = font
    cw = round(font.getlength("M"))
    ch = round(SIZE * 1.25)
    pad = 12
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(parse(text, cols, rows)):
        for x, (c, f, b, bd, ul) in enumerate(row):
            px, py = pad + x * cw, pad + y * ch
            if b != BG:
                d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=b)
            if c == " ":
                continue
            if c in "─━│┃┌┐└┘┏┓┗┛":  # box lines drawn to the cell edges, no gaps
                t = 2 if c in "━┃┏┓┗┛" else 1
                mx, my = px + cw // 2, py + ch // 2
                left = c in "─━┐┘┓┛"
                right = c in "─━┌└┏┗"
                up = c in "│┃└┘┗┛"
                down = c in "│┃┌┐┏┓"
                if left or (c in "─━"):
                    d.rectangle([px, my, mx, my + t - 1], fill=f)
                if right or (c in "─━"):
                    d.rectangle([mx, my, px + cw - 1, my + t - 1], fill=f)
                if up or (c in "│┃"):
                    d.rectangle([mx, py, mx + t - 1, my], fill=f)
                if down or (c in "│┃"):
                    d.rectangle([mx, my, mx + t - 1, py + ch - 1], fill=f)
                continue
            fnt = fallback if 0x2800 <= ord(c) <= 0x28FF else (bold if bd else font)
            d.text((px, py + 1), c, font=fnt, fill=f)
            if ul:
                d.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=f)
    img.save(out, optimize=True)


if __name__ == "__main__":
    main()
