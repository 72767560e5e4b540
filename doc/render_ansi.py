"""Render a terminal capture with SGR colors (tmux capture-pane -e) to a PNG.

usage: render_ansi.py SCREEN.ans OUT.png COLS ROWS
Understands what capture-pane emits: SGR 0/1/2/7/22/27, 30-37/90-97/38;5;n and the
background equivalents, 39/49, and the DEC line-drawing set (ESC ( 0, SO and SI).
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
BG, FG = (24, 26, 31), (214, 218, 224)  # the terminal's default colors
BASE = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188),
        (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139),
        (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]
DEC = dict(zip("jklmnqtuvwx", "┘┐┌└┼─├┤┴┬│"))


def color256(n):
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def cells(text):
    """Yield (row, col, char, fg, bg, bold) for every character drawn."""
    fg = bg = None
    bold = reverse = dim = dec = False
    for row, line in enumerate(text.split("\n")):
        col = 0
        for m in re.finditer(r"\x1b\[([0-9;]*)m|\x1b[()]([0B])|([\x0e\x0f])|(.)", line):
            if m.group(3) is not None:  # SO / SI: the line-drawing set in and out
                dec = m.group(3) == "\x0e"
            elif m.group(4) is not None:
                ch = m.group(4)
                if dec:
                    ch = DEC.get(ch, ch)
                f, b = fg or FG, bg or BG
                if dim:
                    f = tuple(c * 2 // 3 for c in f)
                if reverse:
                    f, b = b, f
                yield row, col, ch, f, b, bold
                col += 1
            elif m.group(2) is not None:
                dec = m.group(2) == "0"
            else:
                codes = [int(c) if c else 0 for c in m.group(1).split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg = bg = None
                        bold = reverse = dim = False
                    elif c == 1:
                        bold = True
                    elif c == 2:
                        dim = True
                    elif c == 22:
                        bold = dim = False
                    elif c == 7:
                        reverse = True
                    elif c == 27:
                        reverse = False
                    elif 30 <= c <= 37:
                        fg = BASE[c - 30]
                    elif 90 <= c <= 97:
                        fg = BASE[c - 90 + 8]
                    elif 40 <= c <= 47:
                        bg = BASE[c - 40]
                    elif 100 <= c <= 107:
                        bg = BASE[c - 100 + 8]
                    elif c == 39:
                        fg = None
                    elif c == 49:
                        bg = None
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        if c == 38:
                            fg = color256(codes[i + 2])
                        else:
                            bg = color256(codes[i + 2])
                        i += 2
                    i += 1


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    size = 16
    font, bold = ImageFont.truetype(FONT, size), ImageFont.truetype(BOLD, size)
    cw = round(font.getlength("M"))
    ch = size + 4
    img = Image.new("RGB", (cols * cw + 16, rows * ch + 16), BG)
    draw = ImageDraw.Draw(img)
    with open(src, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for row, col, c, fg, bg, b in cells(text):
        if row >= rows or col >= cols:
            continue
        x, y = 8 + col * cw, 8 + row * ch
        if bg != BG:
            draw.rectangle([x, y, x + cw - 1, y + ch - 1], fill=bg)
        if c in "─│┌┐└┘├┤┬┴┼":
            # box lines drawn as lines, so they join across cells
            mx, my = x + cw // 2, y + ch // 2
            if c in "─┌└├┬┴┼":
                draw.line([mx, my, x + cw, my], fill=fg)
            if c in "─┐┘┤┬┴┼":
                draw.line([x, my, mx, my], fill=fg)
            if c in "│┌┐├┤┬┼":
                draw.line([mx, my, mx, y + ch], fill=fg)
            if c in "│└┘├┤┴┼":
                draw.line([mx, y, mx, my], fill=fg)
        elif c != " ":
            draw.text((x, y + 2), c, font=bold if b else font, fill=fg)
    img.save(out)


if __name__ == "__main__":
    main()
