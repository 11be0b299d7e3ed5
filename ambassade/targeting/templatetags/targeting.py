from django import template

from ambassade.blogs.topics import topic_label

register = template.Library()


@register.filter
def topic_shares(weights: dict, limit: int = 3) -> str:
    """{'cuisine': 0.6, 'parentalite': 0.25} -> 'Cuisine 60 %, Parentalité 25 %'."""
    items = sorted((weights or {}).items(), key=lambda kv: -kv[1])[: int(limit)]
    return ", ".join(f"{topic_label(t)} {round(100 * w)} %" for t, w in items)


@register.inclusion_tag("targeting/_topic_chart.html")
def topic_chart(weights: dict):
    """Horizontal bars, one per topic, as inline SVG (no script, prints as it shows)."""
    items = sorted((weights or {}).items(), key=lambda kv: -kv[1])[:6]
    top = max((w for _, w in items), default=1) or 1
    bars = [{"label": topic_label(t), "share": round(100 * w), "width": round(220 * w / top, 1),
             "text_x": round(136 + 220 * w / top, 1), "y": 26 * i}
            for i, (t, w) in enumerate(items)]
    return {"bars": bars, "height": 26 * len(bars)}
