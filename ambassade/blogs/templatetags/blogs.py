from django import template

from ambassade.blogs.topics import topic_label

register = template.Library()


@register.filter
def topics(slugs) -> str:
    """['cuisine', 'deco_maison'] -> 'Cuisine, Déco et maison'."""
    return ", ".join(topic_label(s) for s in slugs or [])
