from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.lib.text import split_terms
from ambassade.logistics.models import Product

from .models import Giveaway, SourceKind


class GiveawayForm(forms.ModelForm):
    sources = forms.MultipleChoiceField(label=_("Participations par"), choices=SourceKind.choices,
                                        widget=forms.CheckboxSelectMultiple, initial=[SourceKind.WP_REST])
    author_names = forms.CharField(label=_("Autres noms de l'auteur"), required=False,
                                   help_text=_("Séparés par des virgules : ses commentaires ne participent pas."))
    opens_at = forms.DateTimeField(label=_("Ouverture (heure de Paris)"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Clôture (heure de Paris)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = Giveaway
        fields = ["placement", "title", "post_url", "post_id", "prize", "prize_quantity", "prize_value",
                  "winners_count", "opens_at", "closes_at", "min_age", "countries", "sources", "author_names",
                  "claim_days"]

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = operation.placements.select_related("blog")
        self.fields["placement"].label = _("Blog")
        self.fields["placement"].label_from_instance = lambda p: p.blog.name
        self.fields["prize"].queryset = Product.objects.filter(organisation=operation.organisation,
                                                               client=operation.client)

    def clean_author_names(self):
        return split_terms(self.cleaned_data.get("author_names") or "")

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("La clôture doit suivre l'ouverture."))
        return data


class EntryForm(forms.Form):
    name = forms.CharField(label=_("Votre prénom et nom"), max_length=200)
    email = forms.EmailField(label=_("Votre adresse e-mail"), max_length=254,
                             help_text=_("Pour vous prévenir si vous gagnez : vous recevrez un lien pour la confirmer."))
    accept = forms.BooleanField(label=_("J'ai lu le règlement et je remplis les conditions pour participer"))
    marketing = forms.BooleanField(label=_("J'accepte de recevoir des nouvelles de la marque (facultatif, sans "
                                           "effet sur mes chances)"), required=False)


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=[("valid", _("Réintégrer")), ("excluded", _("Exclure"))])
    reason = forms.CharField(label=_("Raison"), max_length=300)


class CsvForm(forms.Form):
    file = forms.FileField(label=_("Export CSV des commentaires"))


class AddressForm(forms.Form):
    full_name = forms.CharField(label=_("Nom complet"), max_length=200)
    postal_address = forms.CharField(label=_("Adresse postale"), widget=forms.Textarea(attrs={"rows": 4}),
                                     max_length=1000)


class ParcelForm(forms.Form):
    carrier = forms.CharField(label=_("Transporteur"), max_length=100, required=False)
    tracking_number = forms.CharField(label=_("Numéro de suivi"), max_length=100, required=False)
