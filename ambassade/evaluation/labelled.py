"""The labelled set the veille is measured on: French posts with their expected verdicts.

Each case is rendered as a real blog page by the farm's renderers (five
platforms, with menu, sidebar, "article précédent / suivant", related posts
and comments), then goes through the same pipeline as a crawled page:
extract → analyze. Families cover every phrase family and its traps.
`ambassade detection_report` prints the scores.
"""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ambassade.farm.catalog import FarmBlog, FarmPost
from ambassade.farm.render import article_html
from ambassade.watch.detect.analyze import analyze, lexicon_for
from ambassade.watch.detect.extract import decode_html, extract_html, extract_page

AZUR = {"brand": "Maison Azur", "products": ["Crème Hydra Rose", "Sérum Éclat de Nuit"],
        "aliases": ["#AzurBeauté"], "domains": ["maison-azur.fr"]}
DELACOUR = {"brand": "Laiterie Delacour", "products": ["Brassé Vanille", "Onctueux Framboise"],
            "aliases": ["#DelacourGourmand"], "domains": ["laiterie-delacour.fr"]}
OEUF = {"brand": "L’Œuf d’Or", "products": ["Pâte à tartiner Noisette"], "aliases": [], "domains": ["oeufdor.fr"]}
PUBLISHED = date(2026, 11, 10)

FILL = [
    "Ma peau mixte réclame un soin léger le matin.",
    "Je vous mets les photos à la lumière du jour, comme toujours.",
    "La texture fond vite et ne laisse pas de film gras.",
    "Côté parfum, c'est discret, une note de rose à peine sucrée.",
    "Comptez dix minutes de préparation et une nuit au frais.",
    "Les enfants ont tout dévoré au goûter.",
]


@dataclass
class Case:
    id: str
    family: str
    title: str
    body: list[str]
    lexicon: dict
    is_coverage: bool
    disclosure: str = "none"
    giveaway: bool = False
    deadline: date | None = None
    comments: list[str] = field(default_factory=list)
    neighbours: list[str] = field(default_factory=list)  # prev / next titles
    related: list[str] = field(default_factory=list)
    about: str = ""
    charset: str = "utf-8"


def _about_cream(extra: str, title: str = "Crème Hydra Rose de Maison Azur : mon avis") -> tuple[str, list[str]]:
    return title, [
        "Aujourd'hui je vous parle de la Crème Hydra Rose de Maison Azur.",
        FILL[0], FILL[2],
        "J'utilise la Crème Hydra Rose matin et soir depuis trois semaines.",
        extra,
    ]


def _about_yogurt(extra: str) -> tuple[str, list[str]]:
    return "Verrines au Brassé Vanille de Laiterie Delacour", [
        "Une recette express avec le Brassé Vanille de Laiterie Delacour.",
        FILL[4], FILL[5],
        "Le Brassé Vanille apporte de l'onctuosité sans alourdir.",
        extra,
    ]


GIFTED = [
    "Ce produit m'a été offert par Maison Azur, mais mon avis reste libre.",
    "Produit offert par la marque.",
    "J'ai reçu ce colis de la part de Maison Azur il y a quinze jours.",
    "Merci à Maison Azur pour l'envoi !",
    "Merci pour ce colis, il m'a fait très plaisir.",
    "La marque m'a envoyé ce soin gracieusement.",
    "Produits envoyés par la marque, avis sincère.",
    "Ce soin m’a été prêté par la marque pendant un mois.",
    "J'ai été invitée par Maison Azur à découvrir la gamme.",
    "Je l'ai découvert à l'invitation de Maison Azur lors d'une soirée.",
    "#gifted — comme toujours, je ne parle que de ce que j'aime.",
    "#produitoffert",
    "Reçu gracieusement, testé honnêtement.",
    "Cette box m'a été offerte pour que je la teste.",
    "Les produits m'ont été envoyés par Maison Azur.",
    "Merci à la marque pour cet envoi !",
    "J'ai reçu ce coffret il y a un mois et je l'ai testé chaque jour.",
    "Je l'ai reçu dans le cadre d'une opération avec la marque.",
    "Produit offert — mais rien ne m'oblige à en dire du bien.",
    "PRODUIT OFFERT PAR LA MARQUE.",
    "Produit reçu en service presse.",
    "Prêt de la marque pour ce test.",
]
SPONSORED = [
    "Article sponsorisé : ce billet a été rémunéré par Maison Azur.",
    "Cet article est réalisé en partenariat avec Maison Azur. #sponso",
    "Collaboration commerciale avec Maison Azur.",
    "Publicité — billet écrit en collaboration avec Maison Azur.",
    "Publicité : ce billet est rémunéré.",
    "#ad #MaisonAzur",
    "Billet sponsorisé.",
    "Ce billet a été rémunéré par la marque.",
    "(sponso) Mais je ne l'aurais pas écrit si je n'aimais pas.",
    "En partenariat rémunéré avec Maison Azur.",
    "Article sponsorisé par Maison Azur.",
    "Cette vidéo est sponsorisée.",
    "#partenariat avec une marque que j'adore.",
    "Post sponsorisé — merci de votre confiance.",
    "#pub",
    "Cet article contient de la publicité pour Maison Azur.",
    "Contenu sponsorisé.",
    "#collab avec Maison Azur",
    "Article sponsorisé, et pourtant mon avis est sincère : le produit m'a aussi été offert.",
    "Je travaille en collaboration avec Maison Azur depuis un an.",
    "#sponsorisé",
    "Article en collaboration commerciale avec Maison Azur.",
]
SELF_BOUGHT = [
    "Acheté avec mes sous, cet article n'est pas sponsorisé.",
    "Je précise que ce n'est pas un partenariat : je l'ai acheté moi-même.",
    "Acheté avec mes propres deniers.",
    "Achat perso, aucun partenariat.",
    "Je l'ai payé de ma poche.",
    "Non sponsorisé !",
    "Cet article n'est pas sponsorisé.",
    "Article non rémunéré, je partage juste un coup de cœur.",
    "Rien ne m'a été offert, je l'ai acheté en pharmacie.",
    "Je n'ai pas été payée pour en parler.",
    "Je les ai achetés en promotion le mois dernier.",
    "Ce n'est pas un article sponsorisé, juste un coup de cœur.",
    "Pas de partenariat ici, acheté en promo.",
]
NONE = [
    "Je vous le recommande vraiment.",
    "Vous le trouverez en pharmacie.",
    "Dites-moi en commentaire si vous l'avez testé !",
    "Le flacon dure environ deux mois.",
    "Je rachèterai sans hésiter.",
    "Prix : 24 euros les 50 ml.",
    "On en reparle dans un mois.",
    "Ma sœur l'a adoptée aussi.",
    "À l'essai depuis trois semaines.",
    "Une vraie belle découverte.",
]
GIVEAWAYS = [
    ("Concours : Maison Azur vous fait gagner un coffret ! Pour participer, laissez un commentaire. Tirage au sort le 5 décembre.", date(2026, 12, 5)),
    ("À gagner : trois lots avec Maison Azur. Le concours est ouvert jusqu'au 12/12.", date(2026, 12, 12)),
    ("Jeu concours ! Un sérum à remporter, fin du concours : 30 novembre 2026.", date(2026, 11, 30)),
    ("#concours Pour tenter de gagner, suivez-moi et commentez avant le 1er décembre.", date(2026, 12, 1)),
    ("Giveaway ! Je vous fais gagner deux crèmes, jusqu'au 15 janvier.", date(2027, 1, 15)),
    ("Trois coffrets sont à gagner ! Le gagnant sera tiré au sort le 20/11/2026.", date(2026, 11, 20)),
    ("Le concours est ouvert à toutes : pour participer, laissez un commentaire.", None),
    ("Concours : un lot à gagner, règlement en bas de l'article.", None),
    ("À gagner : une Crème Hydra Rose ! Tirage au sort dimanche.", None),
    ("Grand jeu concours de Noël avec Maison Azur, le gagnant sera annoncé ici.", None),
    ("Deux exemplaires à gagner en commentaire, jusqu'au 3 décembre.", date(2026, 12, 3)),
    ("Participez au concours en répondant à la question, avant le 28 novembre 2026.", date(2026, 11, 28)),
    ("Giveaway Maison Azur : la gagnante sera contactée par e-mail.", None),
    ("Vous voulez gagner une crème ? C'est un concours : commentez pour participer !", None),
    ("Tirage au sort le 10 décembre parmi les commentaires.", date(2026, 12, 10)),
    ("Le concours se termine le 8 décembre, un coffret à gagner !", date(2026, 12, 8)),
    ("Date limite : 06/12/2026 pour participer au concours.", date(2026, 12, 6)),
]
GIVEAWAY_TRAPS = [
    "C'est un concours de circonstances qui m'a fait découvrir cette crème.",
    "Mon fils a réussi son concours d'entrée, on a fêté ça.",
    "Cette crème est hors concours dans ma salle de bain.",
    "Il y a tout à gagner à hydrater sa peau en hiver.",
    "J'ai gagné du temps le matin grâce à elle.",
    "J'ai regardé le concours de beauté à la télé hier soir.",
    "Ma cousine prépare le concours de la fonction publique.",
    "On gagne en confort, c'est indéniable.",
    "Ma fille a participé au spectacle de l'école.",
    "Un concours de circonstances, vraiment.",
    "Elle a gagné le concours de chant de l'école.",
]


def _cases() -> list[Case]:
    cases = []
    for i, phrase in enumerate(GIFTED):
        title, body = _about_cream(phrase)
        cases.append(Case(f"gifted-{i:02}", "disclosure", title, body, AZUR, True, "gifted"))
    for i, phrase in enumerate(SPONSORED):
        title, body = _about_cream(phrase)
        cases.append(Case(f"sponsored-{i:02}", "disclosure", title, body, AZUR, True, "sponsored"))
    for i, phrase in enumerate(SELF_BOUGHT):
        title, body = _about_cream(phrase)
        cases.append(Case(f"self-{i:02}", "disclosure", title, body, AZUR, True, "self_bought"))
    for i, phrase in enumerate(NONE):
        title, body = _about_cream(phrase)
        cases.append(Case(f"nodisclosure-{i:02}", "disclosure", title, body, AZUR, True, "none"))
    for i, (phrase, deadline) in enumerate(GIVEAWAYS):
        title, body = _about_cream(phrase, "Concours : la Crème Hydra Rose de Maison Azur")
        cases.append(Case(f"giveaway-{i:02}", "giveaway", title, body, AZUR, True, "none", True, deadline))
    for i, phrase in enumerate(GIVEAWAY_TRAPS):
        title, body = _about_cream(phrase)
        cases.append(Case(f"giveaway-trap-{i:02}", "giveaway", title, body, AZUR, True, "none", False))
    cases += _mention_cases() + _boilerplate_cases() + _normalisation_cases() + _link_cases() + _unrelated_cases()
    return cases


def _mention_cases() -> list[Case]:
    passing = [
        "Au passage, j'avais une Crème Hydra Rose dans mon sac ce jour-là.",
        "Ma voisine, qui ne jure que par Maison Azur, m'a prêté son parapluie.",
        "Le magasin Maison Azur du coin a fermé, dommage.",
        "Sur l'étagère, entre deux livres, traîne un vieux flacon Maison Azur.",
        "J'ai croisé une pub Maison Azur dans le métro.",
        "Rien à voir, mais le Sérum Éclat de Nuit est en promo cette semaine.",
        "Je portais ce jour-là du rouge à lèvres et un peu de Crème Hydra Rose.",
        "Mon amie travaille chez Maison Azur, elle m'a parlé de ce resto.",
        "Même ma trousse Maison Azur a trouvé sa place dans la valise.",
        "On a parlé de tout, de Maison Azur comme de la pluie.",
        "Un passage rapide devant la vitrine Maison Azur.",
        "Petite parenthèse : j'ai terminé mon Sérum Éclat de Nuit.",
    ]
    cases = []
    for i, phrase in enumerate(passing):
        body = ["Nous avons longé le canal du Midi à vélo pendant cinq jours.", phrase,
                "Les étapes faisaient une quarantaine de kilomètres.", "Le petit marché vaut le détour."]
        cases.append(Case(f"passing-{i:02}", "mention", "Le canal du Midi à vélo", body, AZUR, False))
    subject = [
        ("Maison Azur, la marque qui monte", ["Maison Azur est une marque française.", FILL[0], "Maison Azur fabrique en Provence.", FILL[1]]),
        ("Ma routine du soir", ["Le soir, j'applique le Sérum Éclat de Nuit.", FILL[2], "Le Sérum Éclat de Nuit se fait oublier.", "Puis la Crème Hydra Rose.", FILL[3]]),
        ("Trois soins pour l'hiver", [FILL[0], "Premier soin : la Crème Hydra Rose.", "La Crème Hydra Rose est légère.", "Je finis la Crème Hydra Rose avec plaisir."]),
    ]
    for i, (title, body) in enumerate(subject):
        cases.append(Case(f"subject-{i:02}", "mention", title, body, AZUR, True))
    return cases


def _boilerplate_cases() -> list[Case]:
    unrelated_title = "Le canal du Midi à vélo"
    body = ["Nous avons longé le canal du Midi à vélo pendant cinq jours.", "Les étapes faisaient une quarantaine de kilomètres.",
            "Nous avons dormi en chambre d'hôtes.", "Le petit marché vaut le détour."]
    cases = [
        Case("boiler-nav", "boilerplate", unrelated_title, body, AZUR, False),  # the menu names Maison Azur
        Case("boiler-neighbours", "boilerplate", unrelated_title, body, AZUR, False,
             neighbours=["Crème Hydra Rose de Maison Azur : mon avis", "Sérum Éclat de Nuit, le bilan"]),
        Case("boiler-related", "boilerplate", unrelated_title, body, AZUR, False,
             related=["Ma Crème Hydra Rose préférée", "Maison Azur : tout savoir"]),
        Case("boiler-about", "boilerplate", unrelated_title, body, AZUR, False,
             about="Mes marques chouchoutes : Maison Azur et sa Crème Hydra Rose."),
        Case("boiler-comments", "boilerplate", unrelated_title, body, AZUR, False,
             comments=["Tu as testé la Crème Hydra Rose de Maison Azur ?", "Maison Azur c'est top !"]),
        Case("boiler-all", "boilerplate", unrelated_title, body, AZUR, False,
             comments=["Maison Azur ❤"], neighbours=["Maison Azur à l'honneur"], related=["Crème Hydra Rose"],
             about="Partenaire : Maison Azur"),
        Case("boiler-delacour-nav", "boilerplate", "Trouvailles de brocante",
             ["Je chine mes vases en brocante.", "Un coin lecture, une lampe, un plaid."], DELACOUR, False),
        Case("boiler-delacour-comments", "boilerplate", "Trouvailles de brocante",
             ["Je chine mes vases en brocante.", "Un coin lecture, une lampe, un plaid."], DELACOUR, False,
             comments=["Tu connais le Brassé Vanille de Laiterie Delacour ?", "#DelacourGourmand"]),
        Case("boiler-giveaway-comment", "boilerplate", unrelated_title, body, AZUR, False,
             comments=["Il y a un concours Maison Azur chez Léa, à gagner une crème !"]),
        Case("boiler-disclosure-comment", "boilerplate", "Un roman dévoré", ["J'ai dévoré ce roman en deux soirées.", "Je vous le conseille."],
             AZUR, False, comments=["Article sponsorisé par Maison Azur ? lol"]),
        Case("boiler-neighbours-delacour", "boilerplate", "Sortie au musée", ["L'exposition se termine dimanche.", "Une belle surprise."],
             DELACOUR, False, neighbours=["Verrines au Brassé Vanille", "Concours Laiterie Delacour"]),
        Case("boiler-related-giveaway", "boilerplate", "Sortie au musée", ["L'exposition se termine dimanche.", "Une belle surprise."],
             AZUR, False, related=["Concours : une Crème Hydra Rose à gagner"]),
    ]
    # Boilerplate must not make a post a giveaway either.
    for case in cases:
        case.giveaway = False
    return cases


def _normalisation_cases() -> list[Case]:
    variants = [
        ("accents-missing", "Creme Hydra Rose de Maison Azur : mon avis", "J'adore la Creme Hydra Rose, vraiment.", AZUR),
        ("uppercase", "CRÈME HYDRA ROSE : MON AVIS", "LA CRÈME HYDRA ROSE DE MAISON AZUR EST TOP.", AZUR),
        ("hyphen", "Crème Hydra-Rose de Maison-Azur", "La Crème Hydra-Rose est légère.", AZUR),
        ("apostrophe", "La pâte à tartiner de L'Œuf d'Or", "L'Œuf d'Or fait une Pâte à tartiner Noisette divine.", OEUF),
        ("ligature-open", "La pâte à tartiner de L'Oeuf d'Or", "L'Oeuf d'Or, c'est ma marque préférée.", OEUF),
        ("typographic", "La pâte de L’Œuf d’Or", "J’adore L’Œuf d’Or et sa Pâte à tartiner Noisette.", OEUF),
        ("plural", "Mes Brassés Vanille de Laiterie Delacour", "Les Brassés Vanille sont partis en une journée.", DELACOUR),
        ("hashtag", "Goûter du dimanche #DelacourGourmand", "Avec le Brassé Vanille. #DelacourGourmand", DELACOUR),
        ("nbsp", "Crème Hydra\u00a0Rose de Maison\u00a0Azur", "La Crème Hydra\u00a0Rose me suit partout.", AZUR),
        ("no-accent-serum", "Serum Eclat de Nuit : le bilan", "Le Serum Eclat de Nuit de Maison Azur me plaît.", AZUR),
        ("mixed-case", "mAISON aZUR, la découverte", "maison azur fait une crème hydra rose très douce.", AZUR),
        ("guillemets", "« Crème Hydra Rose » : mon avis", "La « Crème Hydra Rose » de « Maison Azur ».", AZUR),
        ("line-break", "Verrines au Brassé Vanille", "Le Brassé\nVanille de Laiterie Delacour, quel délice.", DELACOUR),
        ("latin1", "Crème Hydra Rose de Maison Azur : mon avis", "Une crème légère, une odeur délicate, à l'été comme à l'hiver.", AZUR),
        ("word-boundary", "Maison Azuréenne : mes vacances", "La Maison Azuréenne est une maison d'hôtes, rien à voir.", AZUR),
    ]
    cases = []
    for name, title, sentence, lexicon in variants:
        covered = name != "word-boundary"
        body = [sentence, FILL[1], FILL[2], sentence]
        cases.append(Case(f"norm-{name}", "normalisation", title, body, lexicon, covered,
                          charset="iso-8859-1" if name == "latin1" else "utf-8"))
    return cases


def _link_cases() -> list[Case]:
    return [
        Case("link-domain", "links", "Ma routine du soir",
             ["Un soin léger, à retrouver [sur le site de la marque](https://www.maison-azur.fr/hydra-rose).",
              FILL[0], FILL[2], "Je le recommande, [la boutique en ligne](https://maison-azur.fr/)."], AZUR, False),
        Case("link-domain-subject", "links", "Crème Hydra Rose : mon avis",
             ["La Crème Hydra Rose [est ici](https://shop.maison-azur.fr/p/1).", FILL[0], FILL[2]], AZUR, True),
        Case("link-other-domain", "links", "Ma routine du soir",
             ["Un soin léger [trouvé ici](https://www.autre-marque.fr/).", FILL[0], FILL[2]], AZUR, False),
        Case("link-lookalike", "links", "Ma routine du soir",
             ["Un soin [vu là](https://maison-azur.fr.example.com/).", FILL[0]], AZUR, False),
        Case("link-delacour", "links", "Verrines du dimanche",
             ["Recette sur [le site](https://www.laiterie-delacour.fr/recettes).", FILL[4], FILL[5]], DELACOUR, False),
        Case("domain-text", "links", "Verrines au Brassé Vanille",
             ["Le Brassé Vanille, à retrouver sur laiterie-delacour.fr.", FILL[4], "Le Brassé Vanille est doux."], DELACOUR, True),
    ]


def _unrelated_cases() -> list[Case]:
    return [
        Case("other-brand-gifted", "unrelated", "Robot Pâtissier K2 de Kitchenette : mon avis",
             ["Aujourd'hui je vous parle du Robot Pâtissier K2 de Kitchenette.", FILL[4], "Produit offert par Kitchenette."],
             AZUR, False, "gifted"),
        Case("other-brand-sponsored", "unrelated", "Kitchenette : le Blender Mini à l'essai",
             ["J'ai passé un mois avec le Blender Mini.", "Article sponsorisé."], DELACOUR, False, "sponsored"),
        Case("plain-travel", "unrelated", "Escapade dans l'Aude", ["Nous avons longé le canal du Midi.", "Le marché vaut le détour."], AZUR, False),
        Case("plain-book", "unrelated", "Un roman dévoré", ["J'ai dévoré ce roman en deux soirées.", "La fin m'a surprise."], AZUR, False),
        Case("plain-food", "unrelated", "Ma tarte du marché", ["Une tarte aux pommes toute simple.", FILL[4]], DELACOUR, False),
        Case("azure-color", "unrelated", "Un salon bleu azur", ["Nous avons repeint le salon en bleu azur.", "La maison est plus lumineuse."], AZUR, False),
        Case("generic-yogurt", "unrelated", "Verrines fraîcheur", ["Un yaourt nature, des fruits rouges.", "Simple et bon."], DELACOUR, False),
        Case("other-giveaway", "unrelated", "Concours Kitchenette : un blender à gagner",
             ["Kitchenette vous fait gagner un Blender Mini ! Tirage au sort le 2 décembre."], AZUR, False, "none", True, date(2026, 12, 2)),
        Case("plain-tech", "unrelated", "Nouveau téléphone, premier bilan", ["L'autonomie tient la journée.", "L'application plante un peu."], AZUR, False),
        Case("plain-family", "unrelated", "Nos matins à quatre", ["Les matins sont un sport de combat.", "On a trouvé un rythme."], DELACOUR, False),
    ]


CASES = _cases()
PLATFORMS = ["wordpress", "blogger", "overblog", "canalblog", "hautetfort"]


def render_case(case: Case, index: int) -> bytes:
    """The case as the bytes a blog would serve, on one of the five platforms."""
    when = datetime.combine(PUBLISHED, datetime.min.time(), tzinfo=UTC)
    posts = [FarmPost(id=1, slug="article", title=case.title, published=when, topic="beaute", kind="case",
                      paragraphs=case.body, comments=[("Lectrice", c) for c in case.comments], related=case.related)]
    for offset, title in enumerate(case.neighbours, start=2):
        posts.append(FarmPost(id=offset, slug=f"voisin-{offset}", title=title,
                              published=when.replace(day=PUBLISHED.day - offset), topic="beaute",
                              kind="unrelated", paragraphs=["…"], comments=[]))
    blog = FarmBlog(index=index, slug="cas", name="Le blog des cas", first_name="Camille", last_name="Test",
                    platform=PLATFORMS[index % len(PLATFORMS)], charset=case.charset, topics=["beaute"],
                    sponsored_share=0, never_topics=[], posts_per_month=4, seed=0, today=PUBLISHED, about=case.about)
    blog._posts = posts
    return article_html(blog, posts[0], "http://cas.farm.localhost:8100").encode(case.charset, "xmlcharrefreplace")


@dataclass
class Outcome:
    case: Case
    verdict: dict
    failures: list[str]


def evaluate(cases: list[Case] = CASES) -> list[Outcome]:
    """Each case through both extractors: the crawler's (the platform's post container)
    and the general one (unknown platforms, URLs added by hand). Both must be right."""
    outcomes = []
    for index, case in enumerate(cases):
        html = decode_html(render_case(case, index), case.charset)
        lex = case.lexicon
        lexicon = lexicon_for(lex["brand"], lex["products"], lex["aliases"], lex["domains"])
        crawler = analyze(extract_page(html, PLATFORMS[index % len(PLATFORMS)]), lexicon).as_json()
        general = analyze(extract_html(html), lexicon).as_json()
        failures = [f"plateforme : {f}" for f in _failures(case, crawler)]
        failures += [f"trafilatura : {f}" for f in _failures(case, general)]
        outcomes.append(Outcome(case, crawler, failures))
    return outcomes


def _failures(case: Case, verdict: dict) -> list[str]:
    failures = []
    if verdict["is_coverage"] != case.is_coverage:
        failures.append(f"is_coverage={verdict['is_coverage']} (attendu {case.is_coverage})")
    if verdict["disclosure"]["label"] != case.disclosure:
        failures.append(f"disclosure={verdict['disclosure']['label']} (attendu {case.disclosure})")
    if verdict["giveaway"]["present"] != case.giveaway:
        failures.append(f"giveaway={verdict['giveaway']['present']} (attendu {case.giveaway})")
    if case.deadline and verdict["giveaway"]["deadline"] != case.deadline.isoformat():
        failures.append(f"deadline={verdict['giveaway']['deadline']} (attendu {case.deadline})")
    return failures


def scores(outcomes: list[Outcome]) -> dict:
    """Accuracy per family and precision/recall of coverage, disclosure and giveaway."""
    def prf(predicted, expected):
        tp = sum(p and e for p, e in zip(predicted, expected, strict=True))
        fp = sum(p and not e for p, e in zip(predicted, expected, strict=True))
        fn = sum(e and not p for p, e in zip(predicted, expected, strict=True))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        return {"precision": round(precision, 3), "recall": round(recall, 3)}

    families = {}
    for family, group in itertools.groupby(sorted(outcomes, key=lambda o: o.case.family), key=lambda o: o.case.family):
        group = list(group)
        families[family] = {"cases": len(group), "passed": sum(not o.failures for o in group)}
    labels = {}
    for label in ("gifted", "sponsored", "self_bought"):
        labels[label] = prf([o.verdict["disclosure"]["label"] == label for o in outcomes],
                            [o.case.disclosure == label for o in outcomes])
    return {
        "cases": len(outcomes),
        "passed": sum(not o.failures for o in outcomes),
        "families": families,
        "coverage": prf([o.verdict["is_coverage"] for o in outcomes], [o.case.is_coverage for o in outcomes]),
        "giveaway": prf([o.verdict["giveaway"]["present"] for o in outcomes], [o.case.giveaway for o in outcomes]),
        "disclosure": labels,
    }


def topic_accuracy(blogs: int = 200, seed: int = 7) -> tuple[int, int, int]:
    """(posts, first topic right, true topic among the first three) on the farm's posts,
    whose topic is their ground truth."""
    from ambassade.farm.catalog import build_catalog
    from ambassade.watch.detect.topics import classify

    posts = [p for b in build_catalog(blogs, seed, today=PUBLISHED) for p in b.posts]
    ranked = [(p.topic, classify(f"{p.title}. {' '.join(p.paragraphs)}")) for p in posts]
    return len(posts), sum(1 for t, r in ranked if r[:1] == [t]), sum(1 for t, r in ranked if t in r)
