from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.blogs.topics import TAXONOMY
from ambassade.lib.text import split_terms

from .models import Client, Operation


class TermsField(forms.CharField):
    """A comma-separated list typed by a person, stored as a JSON list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return split_terms(super().to_python(value) or "")


class OperationForm(forms.ModelForm):
    product_names = TermsField(label=_("Produits à surveiller"), required=False,
                               help_text=_("Séparés par des virgules."))
    aliases = TermsField(label=_("Autres noms, hashtags"), required=False)
    brand_domains = TermsField(label=_("Domaines de la marque"), required=False,
                               help_text=_("ex. laiterie-delacour.fr"))
    competitors = TermsField(label=_("Marques concurrentes"), required=False,
                             help_text=_("Séparées par des virgules : Yoplait, Danone. Un blog qui travaille avec "
                                         "l'une d'elles est écarté."))
    topics_avoided = TermsField(label=_("Thèmes à éviter"), required=False,
                                help_text=_("Séparés par des virgules : grossesse, alcool. Un blog qui en parle est "
                                            "écarté."))
    keywords = TermsField(label=_("Mots-clés du brief"), required=False,
                          help_text=_("Ce dont les blogs visés parlent déjà : goûter, pâtisserie, recettes d'enfants…"))
    target_topics = forms.MultipleChoiceField(label=_("Thèmes visés"), required=False, choices=TAXONOMY.items(),
                                              widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Langue des blogs"), choices=[("fr", _("Français")), ("en", _("Anglais"))])

    class Meta:
        model = Operation
        fields = [
            "client", "name", "kind", "status", "brand", "brief", "product_description", "keywords",
            "product_category", "product_names", "aliases", "brand_domains", "competitors", "topics_avoided", "target_topics",
            "language", "starts_on", "ends_on", "target_size",
        ]
        widgets = {
            "brief": forms.Textarea(attrs={"rows": 4}),
            "product_description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["client"].queryset = Client.objects.for_membership(membership)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin précède le début."))
        return data

    def save(self, commit=True):
        self.instance.organisation = self.membership.organisation
        return super().save(commit)
