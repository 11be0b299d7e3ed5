from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def euros(value) -> str:
    """1234.5 -> '1 234,50 €' (French notation, non-breaking spaces)."""
    if value is None:
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    whole, cents = f"{amount:,.2f}".split(".")
    return f"{whole.replace(',', '\u202f')},{cents}\u00a0€"
