from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _just_now(value) -> bool:
    return (timezone.now() - value).total_seconds() < 60


def _duration(value) -> str:
    """One unit, and days as days up to two months: a parcel left 10 days ago is not "1 semaine"."""
    days = (timezone.now() - value).days
    if 1 <= days < 60:
        return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    return timesince(value, depth=1)


@register.filter
def since(value) -> str:
    """'3 jours' rather than '3 jours, 4 heures': a card has room for one unit."""
    if not value:
        return ""
    return _("à l'instant") if _just_now(value) else _duration(value)


@register.filter
def in_status_since(value) -> str:
    """'depuis 3 jours', or 'à l'instant' for a move that just happened."""
    if not value:
        return ""
    if _just_now(value):
        return _("à l'instant")
    return _("depuis %(duration)s") % {"duration": _duration(value)}


@register.filter
def ago(value) -> str:
    """'il y a 3 jours', 'à l'instant' (never 'il y a 0 minute')."""
    if not value:
        return ""
    return _("à l'instant") if _just_now(value) else _("il y a %(duration)s") % {"duration": _duration(value)}


@register.filter
def quoted(value) -> str:
    """« text », once: a text that already carries its guillemets does not get a second pair."""
    text = str(value or "").strip().strip("«»\"“”").strip()
    return f"« {text} »" if text else ""


@register.filter
def signed(value, digits: int = 2) -> str:
    """'+0,28': a sign, and the decimal comma French readers expect."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return f"{number:+.{int(digits)}f}".replace(".", ",")
