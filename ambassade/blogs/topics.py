"""The fixed French topic taxonomy blogs are described with (targeting scores against it)."""

from django.utils.translation import gettext_lazy as _

TAXONOMY = {
    "beaute": _("Beauté"),
    "mode": _("Mode"),
    "cuisine": _("Cuisine"),
    "parentalite": _("Parentalité"),
    "deco_maison": _("Déco et maison"),
    "voyage": _("Voyage"),
    "high_tech": _("High-tech"),
    "auto_moto": _("Auto et moto"),
    "lifestyle": _("Lifestyle"),
    "sante_bienetre": _("Santé et bien-être"),
    "loisirs_culture": _("Loisirs et culture"),
}


def topic_label(slug: str) -> str:
    return str(TAXONOMY.get(slug, slug))
