"""Bar charts drawn on the server as SVG: crisp in print (WeasyPrint draws inline SVG as vectors), no script.

Our own small drawing rather than a charting library: a maintained one (pygal) writes SVG styled by CSS and
script that WeasyPrint's SVG renderer partly ignores, and it knows nothing of our CJK print font; the only
chart the app needs is horizontal bars with one or two series, whose labels (Chinese, long) read best on
the left. Labels and values are escaped; nothing of the data reaches the SVG unescaped.
"""
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ("#2f6db5", "#9bb7dc")  # first series dark, second light; a second series is drawn first (behind)
FONT = "SchoolCJK, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif"


def _text_width(text, size):
    """A text's width in px, roughly: a CJK character is one em, anything else about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _shorten(text, size, room):
    if _text_width(text, size) <= room:
        return text
    while text and _text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def value_text(value, money=False):
    """A bar's value as printed at its end: ¥12,300 for money (whole yuan), 12 or 12.5 otherwise."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if money:
        return f"¥{number:,.0f}"
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"


def bar_chart(bars, *, series=(), money=False, width=560, size=11, label=""):
    """SVG markup of horizontal bars: bars = [(label, [value per series])]; series: the names in the legend.

    With two series each row draws both values as overlapping bars, the second (e.g. the budget) behind the
    first (e.g. what was spent), so a row reads as "how much of it is used". label: the chart's accessible
    name."""
    bars = [(str(text), [v or 0 for v in values]) for text, values in bars]
    count = max((len(v) for _t, v in bars), default=1)
    row = 22 if count == 1 else 26
    legend = 20 if len(series) > 1 else 0
    label_room = min(max((_text_width(t, size) for t, _v in bars), default=40) + 8, width * 0.38)
    shown = [" / ".join(value_text(x, money) for x in v) for _t, v in bars]
    value_room = max((_text_width(s, size) for s in shown), default=30) + 10
    bar_room = max(width - label_room - value_room, 40)
    top = max((float(x) for _t, v in bars for x in v), default=0) or 1
    height = legend + row * max(len(bars), 1) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" '
           f'font-family="{FONT}" font-size="{size}">']
    if legend:
        x = label_room
        for i, name in enumerate(series[:2]):
            out.append(f'<rect x="{x:.1f}" y="4" width="10" height="10" fill="{COLOURS[i]}"/>'
                       f'<text x="{x + 14:.1f}" y="13" fill="#333">{escape(str(name))}</text>')
            x += 24 + _text_width(str(name), size)
    if not bars:
        out.append(f'<text x="0" y="{legend + 15}" fill="#666">—</text>')
    for n, (text, values) in enumerate(bars):
        y = legend + n * row
        out.append(f'<text x="{label_room - 6:.1f}" y="{y + row / 2 + size * 0.35:.1f}" text-anchor="end" '
                   f'fill="#222"><title>{escape(text)}</title>{escape(_shorten(text, size, label_room - 8))}</text>')
        for i in reversed(range(len(values))):
            w = bar_room * float(values[i]) / float(top)
            inset = 3 if i == 0 and len(values) > 1 else 0
            out.append(f'<rect x="{label_room:.1f}" y="{y + 3 + inset:.1f}" width="{max(w, 0):.1f}" '
                       f'height="{row - 6 - 2 * inset:.1f}" fill="{COLOURS[min(i, 1)]}"/>')
        end = label_room + bar_room * float(max(values)) / float(top) + 4
        out.append(f'<text x="{end:.1f}" y="{y + row / 2 + size * 0.35:.1f}" fill="#222">{escape(shown[n])}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
