from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def since(value):
    """'3 jours' rather than '3 jours, 4 heures': a board card has room for one unit."""
    return timesince(value, depth=1) if value else ""
