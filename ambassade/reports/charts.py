"""Charts as SVG strings: the same markup in the page, the PDF and the standalone HTML. Pure."""

from html import escape


def funnel_svg(stages: list[tuple[str, str, int]], width: int = 640) -> str:
    """Horizontal bars, one per funnel stage, each labelled with its count and its share of the first."""
    bar_left, row = 170, 34
    top = max((count for _, _, count in stages), default=0) or 1
    first = stages[0][2] if stages and stages[0][2] else None
    height = row * len(stages) + 10
    parts = [f'<svg class="funnel" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Entonnoir de l\'opération">']
    for i, (stage, label, count) in enumerate(stages):
        y = 5 + i * row
        length = round((width - bar_left - 90) * count / top, 1)
        share = f" ({round(100 * count / first)} %)" if first and i else ""
        colour = "#2f9e5b" if stage == "published" else "#4a5bd4"
        parts.append(
            f'<text x="0" y="{y + 20}" font-size="13" font-family="DejaVu Sans, sans-serif" fill="#1d2233">'
            f"{escape(label)}</text>"
            f'<rect x="{bar_left}" y="{y + 5}" width="{max(length, 2)}" height="20" rx="3" fill="{colour}"/>'
            f'<text x="{bar_left + max(length, 2) + 8}" y="{y + 20}" font-size="13" font-family="DejaVu Sans, sans-serif" '
            f'fill="#1d2233">{count}{share}</text>')
    parts.append("</svg>")
    return "".join(parts)
