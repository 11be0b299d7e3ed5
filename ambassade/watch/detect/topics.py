"""Which of the fixed French topics a post is about: a stemmed lexicon, no model, no network.

Pure. Words are stemmed with Snowball's French stemmer, then folded (accents
off), on both sides. A topic's score is the number of its stems in the text,
weighted by how specific each stem is (a stem shared by several topics counts
less), normalised by the text's length. Topics above a floor come out, most
likely first. The vocabulary below is written for French blogs in general, not
taken from the farm's posts, so that measuring it on the farm is honest.
"""

import math
import re
from collections import Counter

from ambassade.lib.stemming import WORD
from ambassade.lib.stemming import stem as _stem

from .french import FUNCTION_WORDS

VOCABULARY = {
    "beaute": "beauté maquillage crème sérum peau visage teint fond de teint mascara rouge à lèvres vernis "
              "soin hydratant hydratation rides cosmétique cosmétiques parfum démaquillant gommage masque "
              "cheveux shampoing après-shampoing coiffure routine swatch palette fard paupières texture pores lèvres ongles manucure cils sourcils blush anticernes correcteur poudre highlighter teinte nettoyant lotion tonique baume huile acné imperfections hydratante maquiller démaquiller esthéticienne salon de beauté coloration brushing lissage boucles capillaire dentifrice rasoir épilation bronzage solaire",
    "mode": "mode look tenue robe jupe pantalon jean chemise chemisier veste manteau trench pull t-shirt "
 "chaussures baskets sandales bottes sac accessoires dressing garde-robe taille tissu lin "
 "coton soie collection défilé styliste tendance vêtement vêtements prêt-à-porter veste velours pantalon jean brut bottines escarpins talons mocassins ceinture écharpe foulard chapeau bonnet gants lunettes bijoux collier bague bracelet boucles d'oreilles friperie vide-dressing capsule silhouette motif fleurs rayures imprimé couleur style habillé décontracté vintage créateur boutique soldes shopping",
    "cuisine": "cuisine recette recettes ingrédients cuillère four cuisson gâteau tarte dessert goûter "
               "yaourt fromage beurre farine sucre œufs chocolat verrine ramequin plat repas dîner déjeuner "
               "légumes fruits sauce pâtisserie préparation mijoter saveur gourmand gourmandise gratin risotto bouillon béchamel pâte crêpes gaufres pain brioche cake quiche soupe velouté salade poêlée rôti poulet poisson viande pâtes riz lentilles courge châtaignes épices sel poivre huile d'olive ail oignon herbes four casserole poêle mijoté cuire cuisiner cuisiné mixer fouetter râpé fondu pincée louche tablier chef restaurant menu apéro",
    "parentalite": "bébé bébés enfant enfants maman papa parents grossesse enceinte naissance accouchement "
                   "allaitement biberon couches poussette portage sieste crèche école maternité famille "
                   "nourrisson tétine trimestre fratrie éducation fille fils bébé premiers pas bain pleurs nuits biberons tétée doudou jouets landau grands-parents frère sœur puériculture pédiatre échographie congé parental rentrée scolaire devoirs cartable maîtresse adolescent ado éducation bienveillante",
    "deco_maison": "décoration déco maison salon chambre cuisine équipée meuble meubles étagère canapé "
 "peinture mur murs lampe luminaire coussin plaid tapis rangement brocante chiner vase "
 "jardin balcon plantes intérieur rénovation bricolage papier peint entrée poignées fenêtre rideaux parquet carrelage salle de bains robinetterie miroir cuisine ouverte travaux déménagement appartement pièce jardinière guirlande fauteuil rotin bois chêne tapis tableau cadre bougie ambiance cocooning scandinave industriel bohème rénover repeindre poser",
    "voyage": "voyage voyages coucher de soleil vacances séjour valise avion train vol hôtel chambre d'hôtes camping étape "
 "itinéraire randonnée vélo road trip destination visiter visite plage montagne escapade "
 "week-end découverte région pays ville touriste van camping-car route itinéraire portugal italie espagne grèce écosse île océan mer lac forêt sentier refuge aéroport gare billet réservation auberge hébergement nuit guide carte sac à dos passeport frontière dépaysement étranger circuit road-trip croisière excursion",
    "high_tech": "téléphone smartphone ordinateur tablette application appli écran batterie autonomie "
                 "logiciel mise à jour sauvegarde photo appareil objectif wifi bluetooth console jeu vidéo "
                 "gadget connecté technologie numérique internet montre connectée podomètre notifications processeur carte graphique refroidissement système tablette version ordinateur portable clavier souris casque écouteurs enceinte imprimante routeur box fibre cloud données mot de passe sécurité logiciel système d'exploitation android iphone mac windows linux",
    "auto_moto": "voiture voitures auto moto scooter conduite permis volant moteur électrique hybride "
                 "recharge borne autoroute pneus garage contrôle technique trajet kilomètres essence "
                 "carburant vitesse départementales kilomètres diesel citadine hybride consommation entretien plaquettes frein vidange carrosserie pneu embrayage boîte de vitesses concession essai routier casque blouson motard permis de conduire stationnement parking péage",
    "lifestyle": "quotidien bonheur coups de cœur favoris humeur rituel dimanche instant "
 " inspiration journal carnet gratitude organisation anniversaire amis soirée "
 "petits plaisirs minimalisme objets rituels bougie liste bilan heureuse projets résolutions slow life organisation motivation habitudes routine matinale confiance en soi développement personnel introspection souvenirs",
    "sante_bienetre": "santé bien-être sport yoga méditation sommeil dormir marche courir course "
 "relaxation stress fatigue mal de dos alimentation équilibre nutrition tisane détente respiration "
 "forme énergie médecin course à pied kilomètres sophrologie angoisse anxiété sucre médecin santé mentale thérapie psychologue respiration cohérence cardiaque massage ostéopathe naturopathie jeûne vitamines immunité allergies douleur dos posture pilates étirements musculation salle de sport",
    "loisirs_culture": "livre livres roman lecture lire auteur exposition musée concert festival musique "
 "cinéma film série théâtre spectacle jeu de société escape game culture "
 "bibliothèque artiste album groupe rock chanson chanteur disque vinyle théâtre pièce mise en scène opéra danse ballet polar bande dessinée manga poésie librairie peinture photographie atelier créatif couture tricot broderie jeux vidéo jeu de plateau randonnée culturelle patrimoine",
}
# Words real posts showed missing (the labelled set in ambassade/evaluation): general
# French words of each topic, not names from the posts.
EXTRA = {
    "loisirs_culture": "tome éditions éditeur lecteur lectrice intrigue personnage personnages chapitre écrivain "
                       "récit science-fiction fantasy thriller symphonie orchestre scénario",
    "high_tech": "liseuse kindle robot-aspirateur robot aspirateur numérique wi-fi",
    "beaute": "shampooing vernis à ongles box beauté eau de toilette déodorant gel douche",
    "cuisine": "robot de cuisine livre de cuisine gastronomie épicerie",
    "mode": "chaussures shoes fringues marinière sac à main",
    "auto_moto": "mercedes berline suv",
}
# Entries of several words are matched as phrases, never as their single words:
# "premiers pas" must not make every "pas" count for parenting.
PHRASES = [
    "fond de teint", "rouge à lèvres", "vernis à ongles", "box beauté", "eau de toilette", "gel douche", "salon de beauté",
    "boucles d'oreilles", "sac à main", "huile d'olive", "premiers pas", "congé parental", "rentrée scolaire",
    "éducation bienveillante", "cuisine équipée", "papier peint", "salle de bains", "cuisine ouverte", "chambre d'hôtes",
    "road trip", "sac à dos", "mise à jour", "appareil photo", "jeu vidéo", "jeux vidéo", "montre connectée",
    "carte graphique", "ordinateur portable", "mot de passe", "système d'exploitation", "contrôle technique",
    "boîte de vitesses", "essai routier", "permis de conduire", "coups de cœur", "petits plaisirs", "slow life",
    "routine matinale", "confiance en soi", "développement personnel", "course à pied", "santé mentale",
    "cohérence cardiaque", "salle de sport", "jeu de société", "escape game", "mise en scène", "bande dessinée",
    "jeu de plateau", "randonnée culturelle", "mal de dos", "coucher de soleil", "robot de cuisine", "livre de cuisine", "fard à paupières",
]
MIN_SHARE = 0.25  # a topic must weigh at least this share of the best one to be listed
MIN_STEM = 4  # letters: shorter words ("car", "pas", "aux") are too often another word
# Lifestyle's words (semaine, envie, quotidien…) are in every post, whatever it is about.
DAMPING = {"lifestyle": 0.6}
TITLE_WEIGHT = 2  # the title says what the post is about more than any sentence



def _content(text: str) -> list[tuple[str, bool]]:
    """(stem, can stand alone) for each word of three letters or more. A function word or a
    word under four letters ("car", "pas", "mer" are too often something else) counts only
    inside a phrase ("premiers pas", "bien-être", "camping-car"); "pâte" → "pât" counts alone."""
    words = []
    for token in WORD.findall(text):
        words.extend(part for part in re.split(r"['’-]", token) if len(part) > 2)
    return [(stem, len(word) >= MIN_STEM and stem not in _STOP) for word, stem in ((w, _stem(w)) for w in words)]


def _phrase_key(phrase: str) -> str:
    content = _content(phrase)
    if len(content) == 1 and not content[0][1]:
        return ""
    return " ".join(stem for stem, _alone in content)


def _build():
    topics_of: dict[str, set[str]] = {}
    phrases = sorted(PHRASES, key=len, reverse=True)
    for topic, words in VOCABULARY.items():
        words = f"{words} {EXTRA.get(topic, '')}"
        for phrase in phrases:
            if phrase in words:
                words = words.replace(phrase, " ")
                topics_of.setdefault(_phrase_key(phrase), set()).add(topic)
        for token in words.split():
            # A hyphenated entry ("bien-être", "camping-car") is a phrase too.
            key = _phrase_key(token)
            if key:
                topics_of.setdefault(key, set()).add(topic)
    # A stem that several topics share says less about each of them.
    return {stem: (topics, 1 / len(topics)) for stem, topics in topics_of.items()}


_STOP = frozenset(_stem(w) for w in FUNCTION_WORDS) | FUNCTION_WORDS
_LEXICON = _build()
_LONGEST = max(len(k.split()) for k in _LEXICON)


def _terms(text: str) -> list[str]:
    """The lexicon's entries in the text, longest phrase first at each position."""
    content = _content(text)
    tokens = [stem for stem, _long in content]
    found, i = [], 0
    while i < len(tokens):
        for n in range(min(_LONGEST, len(tokens) - i), 0, -1):
            key = " ".join(tokens[i:i + n])
            if key in _LEXICON and (n > 1 or content[i][1]):
                found.append(key)
                i += n
                break
        else:
            i += 1
    return found


def topic_scores(text: str, title: str = "") -> dict[str, float]:
    scores: dict[str, float] = {}
    for stem, count in Counter(_terms(text)).items():
        topics, weight = _LEXICON[stem]
        for topic in topics:
            scores[topic] = scores.get(topic, 0.0) + weight * (1 + math.log(count))
    for topic in scores:
        scores[topic] *= DAMPING.get(topic, 1.0)
    for stem in set(_terms(title)):
        topics, weight = _LEXICON[stem]
        for topic in topics:
            scores[topic] = scores.get(topic, 0.0) + weight * TITLE_WEIGHT
    return scores


def classify(text: str, limit: int = 3, title: str = "") -> list[str]:
    """The taxonomy slugs the text is about, most likely first (empty when nothing is clear)."""
    scores = topic_scores(text, title)
    if not scores:
        return []
    best = max(scores.values())
    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    return [t for t in ranked if scores[t] >= MIN_SHARE * best][:limit]
