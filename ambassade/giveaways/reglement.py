"""The règlement (official rules), written in French from the giveaway's fields.

French practice for a "jeu-concours": who organises it and with which brand, the dates, who may and
may not enter, participation free and without purchase (Code de la consommation, art. L.121-20; Code
de la sécurité intérieure, art. L.320-1 et suivants), how to enter, the prizes (nature, number,
commercial value), how winners are drawn, told and must claim, personal data and rights, and where
the règlement can be read. Every sentence comes from a field, so changing the giveaway changes it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from ambassade.lib.french import count, elide

from . import links
from .models import Giveaway, SourceKind


@dataclass
class Article:
    title: str
    paragraphs: list[str]


def moment(value) -> str:
    """'lundi 1er décembre 2026 à 9 h 00' in Europe/Paris."""
    local = timezone.localtime(value)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{date_format(local, 'l')} {day} {date_format(local, 'F Y')} à {local.hour} h {local.minute:02d}"


def money(value: Decimal) -> str:
    return f"{value:,.2f} €".replace(",", " ").replace(".", ",")


def _organiser(giveaway: Giveaway) -> str:
    blogger = giveaway.blog.bloggers.filter(erased_at__isnull=True).first()
    person = (blogger.pseudonym or f"{blogger.first_name} {blogger.last_name}".strip()) if blogger else ""
    return f"{giveaway.blog.name} ({person})" if person else giveaway.blog.name


def _how_to_enter(giveaway: Giveaway) -> list[str]:
    ways = []
    if any(k in giveaway.sources for k in (SourceKind.WP_REST, SourceKind.WP_FEED, SourceKind.BLOGGER_FEED,
                                           SourceKind.CSV)):
        ways.append(f"laisser un commentaire sous le billet « {giveaway.title} » ({giveaway.post_url}) ; un "
                    "simple « je participe ! » suffit")
    if SourceKind.FORM in giveaway.sources:
        ways.append("remplir le formulaire de participation en bas de ce règlement, puis confirmer son adresse "
                    "e-mail par le lien reçu")
    return ways


def articles(giveaway: Giveaway) -> list[Article]:
    """Elided as a French reader expects ("d'Agence A", not "de Agence A")."""
    return [Article(a.title, [elide(p) for p in a.paragraphs]) for a in _articles(giveaway)]


def _articles(giveaway: Giveaway) -> list[Article]:
    operation = giveaway.operation
    brand, agency = operation.brand, giveaway.organisation.name
    prizes = giveaway.winners_count
    total = giveaway.prize_value * giveaway.prize_quantity * prizes
    unit = count(giveaway.prize_quantity, "unité", "unités")
    ways = _how_to_enter(giveaway)
    return [
        Article("Article 1 – Organisation", [(
            f"Le jeu-concours « {giveaway.title} » est organisé par le blog {_organiser(giveaway)}, en partenariat "
            f"avec la marque {brand}, qui offre les lots. {agency} en assure la gestion pour le compte de la "
            "marque (collecte des participations, tirage au sort, envoi des lots).")]),
        Article("Article 2 – Dates", [
            f"Le concours est ouvert du {moment(giveaway.opens_at)} au {moment(giveaway.closes_at)} (heure de "
            "Paris). Une participation reçue avant l'ouverture ou après la clôture n'est pas prise en compte."]),
        Article("Article 3 – Qui peut participer", [
            f"Toute personne physique âgée d'au moins {giveaway.min_age} ans et résidant en {giveaway.countries}, "
            "disposant d'une adresse postale dans ce territoire pour recevoir le lot.",
            f"Ne peuvent pas participer : l'auteur du blog et sa famille, les salariés de la marque {brand} et "
            f"ceux de {agency}, ainsi que toute personne ayant participé à l'organisation du concours."]),
        Article("Article 4 – Participation gratuite et sans obligation d'achat", [
            "La participation est gratuite et sans obligation d'achat, conformément aux articles L.121-20 du Code "
            "de la consommation et L.320-1 et suivants du Code de la sécurité intérieure. Aucun achat, aucun "
            "abonnement et aucun partage ne conditionne la participation ni les chances de gagner."]),
        Article("Article 5 – Comment participer", [
            "Pour participer, il suffit de " + " ; ou ".join(ways) + ".",
            "Une seule participation par personne (même nom et même site, ou même adresse e-mail) : les "
            "participations suivantes ne sont pas retenues. Ne sont pas retenus non plus les commentaires de "
            "l'auteur du blog et ses réponses, les commentaires indésirables (liens publicitaires, textes "
            "automatiques ou incompréhensibles) et les textes presque identiques publiés par une même personne "
            "sous plusieurs noms. Chaque participation écartée l'est avec sa règle, publiée dans le certificat "
            "du tirage."]),
        Article("Article 6 – Les lots", [
            f"{count(prizes, 'lot est mis', 'lots sont mis')} en jeu : chacun comprend {unit} du produit "
            f"« {giveaway.prize.name} » de la marque {brand}, d'une valeur commerciale unitaire de "
            f"{money(giveaway.prize_value)} TTC, soit {money(total)} TTC au total.",
            "Les lots ne sont ni échangeables ni remboursables, et ne peuvent être convertis en argent."]),
        Article("Article 7 – Le tirage au sort", [
            f"{count(prizes, 'gagnant est tiré', 'gagnants sont tirés')} au sort parmi les participations "
            "retenues, après la clôture, par un tirage que chacun peut vérifier : à l'ouverture du concours, "
            f"l'empreinte d'un nombre secret est publiée (engagement : {giveaway.commitment}) ; à la clôture, la "
            "liste des participations est figée et son empreinte publiée ; le secret est révélé avec le résultat, "
            "et un programme public refait le calcul. Le certificat du tirage donne la liste anonymisée (initiales "
            "et code de chaque participation) et la règle de chaque participation écartée."]),
        Article("Article 8 – Annonce des gagnants et remise des lots", [
            "Les gagnants sont annoncés sur le blog par son auteur, et prévenus par e-mail lorsque leur adresse "
            f"est connue. Chaque gagnant dispose de {count(giveaway.claim_days, 'jour', 'jours')} à compter de "
            "l'annonce pour donner son adresse postale par le lien personnel qui lui est remis ; passé ce délai, "
            "le lot est perdu pour lui et revient à la marque.",
            "Le lot est envoyé gratuitement par voie postale à l'adresse indiquée."]),
        Article("Article 9 – Données personnelles", [
            f"Les données des participants (nom, site, e-mail le cas échéant, commentaire) sont traitées par "
            f"{agency} pour le compte de la marque {brand}, uniquement pour gérer le concours. Seules les "
            "initiales et un code par participation sont publiés. L'adresse postale des gagnants sert à l'envoi du "
            f"lot ; elle est effacée {count(settings.GIVEAWAY_ERASE_DAYS, 'jour', 'jours')} après sa réception, "
            "comme l'e-mail et le texte des autres participations après le tirage. L'accord pour recevoir des "
            "nouvelles de la marque est facultatif et distinct de la participation.",
            "Chacun dispose d'un droit d'accès, de rectification, d'effacement et d'opposition, et peut "
            "introduire une réclamation auprès de la CNIL (www.cnil.fr). Retirer sa participation avant la "
            "clôture est toujours possible."]),
        Article("Article 10 – Consultation du règlement", [
            f"Le présent règlement peut être consulté gratuitement, pendant toute la durée du concours et après, "
            f"à l'adresse {links.public_url(giveaway)}. Le blog y renvoie depuis le billet du concours."]),
    ]
