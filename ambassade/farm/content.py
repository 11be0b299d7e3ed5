"""French blog post text for the farm, deterministic from a random.Random.

The posts carry the phrases the veille must recognise (disclosures,
giveaways, passing mentions) and the traps it must not fall into
("cet article n'est pas sponsorisé", "un concours de circonstances").
"""

import random
from dataclasses import dataclass

TOPICS = [
    "beaute",
    "mode",
    "cuisine",
    "parentalite",
    "deco_maison",
    "voyage",
    "high_tech",
    "auto_moto",
    "lifestyle",
    "sante_bienetre",
    "loisirs_culture",
]


@dataclass(frozen=True)
class Brand:
    name: str
    products: tuple[str, ...]
    alias: str
    domain: str
    topic: str
    category: str


BRANDS = [
    Brand("Laiterie Delacour", ("Brassé Vanille", "Onctueux Framboise"), "#DelacourGourmand",
          "laiterie-delacour.fr", "cuisine", "produits laitiers"),
    Brand("Maison Azur", ("Crème Hydra Rose", "Sérum Éclat de Nuit"), "#AzurBeauté",
          "maison-azur.fr", "beaute", "soin du visage"),
    Brand("Bébé Cocon", ("Robe de grossesse Lune", "Écharpe de portage"), "#BébéCocon",
          "bebe-cocon.fr", "parentalite", "maternité"),
    Brand("Atelier Lin", ("Chemise Lin Lavé", "Pantalon Fluide"), "#AtelierLin",
          "atelier-lin.fr", "mode", "prêt-à-porter"),
    Brand("Vélo Nomade", ("Nomade City", "Sacoche Rando"), "#VéloNomade",
          "velo-nomade.fr", "voyage", "vélo"),
    Brand("Kitchenette", ("Robot Pâtissier K2", "Blender Mini"), "#Kitchenette",
          "kitchenette.fr", "cuisine", "électroménager"),
]

SENTENCES = {
    "beaute": [
        "Ma peau mixte réclame un soin léger le matin et quelque chose de plus riche le soir.",
        "J'ai testé la routine pendant trois semaines avant de vous en parler.",
        "La texture fond vite et ne laisse pas de film gras sur le visage.",
        "Côté parfum, c'est discret, une note de rose à peine sucrée.",
        "Je vous mets les swatchs en photo, à la lumière du jour comme toujours.",
        "Mon vanity déborde, alors je fais le tri dans mes produits entamés.",
    ],
    "mode": [
        "J'ai enfin trouvé la chemise qui va avec tout, du jean au pantalon large.",
        "Le tissu froisse un peu, mais c'est le charme du lin.",
        "Je vous montre trois façons de la porter cette semaine.",
        "Les coupes sont généreuses : prenez votre taille habituelle.",
        "Petit look de rentrée, avec des baskets blanches et un trench.",
    ],
    "cuisine": [
        "Ce week-end, j'ai préparé un dessert express avec ce que j'avais dans le frigo.",
        "Comptez dix minutes de préparation et une nuit au frais.",
        "Le yaourt apporte de l'onctuosité sans alourdir la recette.",
        "J'ai remplacé la moitié du sucre par du miel de lavande.",
        "Les enfants ont tout dévoré au goûter, pas une miette.",
        "Voici la liste des ingrédients, pour quatre ramequins.",
    ],
    "parentalite": [
        "Depuis la naissance de notre deuxième, les matins sont un sport de combat.",
        "Le portage a changé ma vie pendant les premiers mois.",
        "On a enfin trouvé un rythme pour les siestes.",
        "Petit bilan du troisième trimestre de grossesse, entre fatigue et impatience.",
        "Les sorties au parc restent nos meilleurs moments.",
    ],
    "deco_maison": [
        "Nous avons repeint le salon dans un vert sauge très doux.",
        "Les étagères en chêne ont remplacé la vieille bibliothèque.",
        "Je chine mes vases en brocante le dimanche matin.",
        "Un coin lecture, une lampe, un plaid : il n'en faut pas plus.",
    ],
    "voyage": [
        "Nous avons longé le canal du Midi à vélo pendant cinq jours.",
        "Les étapes faisaient une quarantaine de kilomètres, parfaites avec les enfants.",
        "On a dormi en chambre d'hôtes, toujours réservée la veille.",
        "Le petit marché de Castelnaudary vaut le détour.",
    ],
    "high_tech": [
        "J'ai changé de téléphone après quatre ans de bons et loyaux services.",
        "L'autonomie tient largement la journée, même en vidéo.",
        "L'application plante encore un peu au démarrage.",
        "Je vous explique comment sauvegarder vos photos sans abonnement.",
    ],
    "auto_moto": [
        "Le contrôle technique est passé sans une remarque.",
        "J'ai fait le trajet Lyon-Marseille d'une traite en électrique.",
        "Les bornes de recharge sur l'autoroute sont enfin fiables.",
    ],
    "lifestyle": [
        "Ce mois-ci a filé à toute vitesse, entre travail et anniversaires.",
        "Je vous partage mes coups de cœur de la semaine.",
        "Un dimanche sans écran, c'est devenu notre petit rituel.",
        "J'ai commencé un carnet de gratitude, je vous raconte.",
    ],
    "sante_bienetre": [
        "Je marche trente minutes chaque matin avant le travail.",
        "Le yoga du soir m'aide vraiment à trouver le sommeil.",
        "J'ai réduit le café, et la différence se sent au bout de deux semaines.",
        "Une tisane, un bain chaud et au lit à vingt-deux heures.",
    ],
    "loisirs_culture": [
        "J'ai dévoré ce roman en deux soirées.",
        "L'exposition au musée des Beaux-Arts se termine dimanche.",
        "Le festival de jazz revient cet été avec une belle programmation.",
        "Nous avons testé un escape game entre amis.",
    ],
}

TITLES = {
    "beaute": ["Ma routine du soir", "Trois soins pour l'hiver", "Vider son vanity", "Peau mixte : mes essentiels"],
    "mode": ["Look de rentrée", "Trois façons de porter une chemise", "Mes basiques de saison"],
    "cuisine": ["Dessert express du dimanche", "Verrines fraîcheur", "Goûter maison en dix minutes", "Ma tarte du marché"],
    "parentalite": ["Nos matins à quatre", "Le portage, mon allié", "Bilan du troisième trimestre"],
    "deco_maison": ["Un salon vert sauge", "Mon coin lecture", "Trouvailles de brocante"],
    "voyage": ["Le canal du Midi à vélo", "Cinq jours en chambre d'hôtes", "Escapade dans l'Aude"],
    "high_tech": ["Nouveau téléphone, premier bilan", "Sauvegarder ses photos"],
    "auto_moto": ["Lyon-Marseille en électrique", "Contrôle technique sans stress"],
    "lifestyle": ["Les petits bonheurs de novembre", "Mes coups de cœur de la semaine"],
    "sante_bienetre": ["Marcher chaque matin", "Mieux dormir sans effort"],
    "loisirs_culture": ["Un roman dévoré", "Sortie au musée", "Escape game entre amis"],
}

GIFTED = [
    "Ce produit m'a été offert par {brand}, mais mon avis reste libre.",
    "J'ai reçu ce colis de la part de {brand} il y a quinze jours.",
    "Merci à {brand} pour l'envoi : produit offert, avis sincère.",
    "Produit envoyé par la marque {brand}.",
]
SPONSORED = [
    "Article sponsorisé : ce billet a été rémunéré par {brand}.",
    "Cet article est réalisé en partenariat avec {brand}. #sponso",
    "Collaboration commerciale avec {brand}.",
    "Publicité — billet écrit en collaboration avec {brand}.",
]
SELF_BOUGHT = [
    "Acheté avec mes sous, cet article n'est pas sponsorisé.",
    "Je précise que ce n'est pas un partenariat : je l'ai acheté moi-même.",
]
GIVEAWAY = [
    "Concours : {brand} vous fait gagner un coffret ! Pour participer, laissez un commentaire. "
    "Tirage au sort le {deadline}.",
    "À gagner : trois lots {product} avec {brand}. Le concours est ouvert jusqu'au {deadline}.",
]
TRAPS = [
    "C'est un concours de circonstances qui m'a fait découvrir ce petit café.",
    "Je le dis souvent : cet article n'est pas sponsorisé, je partage simplement ce que j'aime.",
]
COMMENTS = [
    "Super article, merci pour le partage !",
    "J'adore ta façon d'écrire, je teste dès ce week-end.",
    "Tu l'as trouvé où ? Je le cherche partout.",
    "Merci pour ton retour honnête.",
    "Trop bien, j'avais justement besoin d'idées.",
]
FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]


def paragraph(rng: random.Random, topic: str, count: int) -> list[str]:
    pool = SENTENCES[topic]
    return rng.sample(pool, k=min(count, len(pool)))


def french_date(day) -> str:
    return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"

FIRST_NAMES_COMMENTERS = ["Gilberte", "Ninie", "Mat", "Delphine", "Sarah", "Kriss", "Olivia", "Kaki", "Anne-Claire"]
