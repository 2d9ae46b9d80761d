"""Long tables printed as fixed-width text: WeasyPrint's time and memory go by boxes, so a table of thousands of
rows (the register, the safety ledger's inspections) is printed as one block of text a page in the monospaced
Chinese font, with a rule character between columns, rather than as table cells.

Widths are counted in fifths of an em in that font (WenQuanYi Micro Hei Mono): a Latin character or a space is 3,
a Chinese character or an ideographic space (U+3000) is 5. Any padding of 0, 3, 5, 6 or 8 and more fifths can be
made of the two spaces, so every column lines up exactly."""
from unicodedata import east_asian_width

SEPARATOR = "|"  # the column rule, one Latin character wide
LATIN, WIDE, WIDE_SPACE = 3, 5, "\u3000"


def units(ch):
    """The width of one character in fifths of an em."""
    return WIDE if east_asian_width(ch) in "WF" else LATIN


def can_pad(width):
    """Whether spaces can make up exactly `width` fifths."""
    return width >= 0 and width not in (1, 2, 4, 7)


def pad(width):
    """Spaces (3) and ideographic spaces (5) that make up exactly `width` fifths of an em: as many wide spaces as
    can be (fewer characters for WeasyPrint to draw)."""
    for wide in range(width // WIDE, -1, -1):
        rest = width - WIDE * wide
        if rest % LATIN == 0:
            return WIDE_SPACE * wide + " " * (rest // LATIN)
    return " " * max(0, round(width / LATIN))  # not reached when can_pad(width)


def wrap(text, width):
    """[(line, its width in fifths)] of text within a column `width` Latin characters wide (a long word is broken
    anywhere; each line leaves a padding that spaces can make)."""
    room = width * LATIN
    lines, line, used = [], "", 0
    for ch in " ".join(str(text).split()):
        w = units(ch)
        if line and not can_pad(room - used - w):
            lines.append((line, used))
            line, used = "", 0
            if ch == " ":
                continue
        line, used = line + ch, used + w
    lines.append((line, used))
    return lines


def row_lines(values, columns):
    """A row of values laid out in columns [(header, width in Latin characters, right-aligned)]: each of its lines
    (several when a cell is longer than its column) as [(text, padding, right)], one per column."""
    cells = [wrap(v, width) for v, (_h, width, _r) in zip(values, columns, strict=True)]
    out = []
    for i in range(max(len(c) for c in cells)):
        line = []
        for lines, (_h, width, right) in zip(cells, columns, strict=True):
            text, used = lines[i] if i < len(lines) else ("", 0)
            line.append((text, pad(width * LATIN - used), right))
        out.append(line)
    return out


def paginate(items, height, first, rest):
    """[[item]]: the items in order on pages of at most `first` lines (the first page) and `rest` (the others);
    height(item) is how many lines an item takes, and one taller than a page gets a page of its own."""
    pages, page, used, room = [], [], 0, first
    for item in items:
        lines = height(item)
        if page and used + lines > room:
            pages.append(page)
            page, used, room = [], 0, rest
        page.append(item)
        used += lines
    if page:
        pages.append(page)
    return pages
