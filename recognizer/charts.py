"""Bar charts as geometry for server-rendered SVG (templates/recognizer/_bar_chart.html).

No chart library and no CDN: the page draws the same offline, and the numbers stay
readable without JavaScript.
"""
WIDTH = 420
HEIGHT = 190
TOP = 18      # room for the value above the tallest bar
BOTTOM = 24   # room for the labels under the bars
LEFT = 8


def bar_chart(items, *, title, width=WIDTH, height=HEIGHT):
    """items: [(label, value)] -> a dict the SVG template draws."""
    items = list(items)
    peak = max((value for _, value in items), default=0) or 1
    slot = (width - 2 * LEFT) / max(len(items), 1)
    gap = min(6, slot * 0.2)
    plot_h = height - TOP - BOTTOM
    bars = []
    for n, (label, value) in enumerate(items):
        h = plot_h * value / peak
        x = LEFT + n * slot + gap / 2
        bars.append({
            "label": label, "value": value,
            "x": round(x, 2), "w": round(slot - gap, 2),
            "y": round(TOP + plot_h - h, 2), "h": round(h, 2), "ty": round(TOP + plot_h - h - 4, 2),
            "cx": round(x + (slot - gap) / 2, 2),
            # Dense charts (24 hours) label every other bar, counted from the newest one.
            "show_label": (len(items) - 1 - n) % (1 if len(items) <= 12 else 2) == 0,
        })
    return {
        "title": title, "width": width, "height": height, "bars": bars,
        "baseline": TOP + plot_h, "label_y": height - 6, "total": sum(v for _, v in items),
    }
