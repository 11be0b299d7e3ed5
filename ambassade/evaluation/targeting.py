"""How good is the ranking? 33 briefs against the farm's blogs, graded from the farm's ground truth.

The blogs go through the veille's own pipeline (feed rendered by the farm,
parsed, analysed by the detectors, folded into profiles), then the ranker,
with no database and no network. The grades come only from the farm's ground
truth, never from anything the ranker computed:

- 3 when the blog's main topic is one the brief targets, 1 for its second topic, 0 otherwise;
- minus 2 for a "blogueuse sandwich" (more than half of its posts sponsored);
- 0 for a blog whose blogger refuses what the brief is about (the brief says which refusals it
  concerns) or that is gone. Such a blog must never appear at all: it is counted as a violation.

The briefs are written the way a CM writes one, not copied from the farm's sentences.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from ambassade.farm.catalog import FarmBlog, build_catalog
from ambassade.farm.render import rss
from ambassade.targeting.profile import DecayedProfile, PostFacts, fold, window_stats
from ambassade.targeting.rank import Brief, ProfileIndex, ProfileRow, Weights, rank
from ambassade.targeting.text import terms
from ambassade.watch.detect.analyze import analyze
from ambassade.watch.detect.extract import extract_fragment
from ambassade.watch.detect.lexicon import Lexicon
from ambassade.watch.feeds import parse_feed

TODAY = date(2026, 10, 1)
SANDWICH = 0.5


@dataclass(frozen=True)
class BriefCase:
    name: str
    topics: tuple[str, ...]
    text: str
    keywords: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()  # the refusals this brief is about (ground truth for the never-topic filter)


def _b(name, topics, text, keywords=(), concerns=()):
    return BriefCase(name, tuple(topics), text, tuple(keywords), tuple(concerns))


BRIEFS = [
    _b("Crème de jour légère", ["beaute"], "Une crème de jour légère pour peaux mixtes, texture fondante, parfum discret.",
       ["soin visage", "routine", "peau mixte"]),
    _b("Baume peaux sèches", ["beaute"], "Un baume nourrissant pour les peaux sèches qui tiraillent en hiver.",
       ["soin", "hydratation", "peau sèche"], ["peaux sèches"]),
    _b("Palette de fards", ["beaute"], "Une palette de fards à paupières aux teintes automnales, à swatcher.",
       ["maquillage", "swatch", "paupières"]),
    _b("Chemise en lin", ["mode"], "Une chemise en lin lavé, coupe ample, à porter avec un jean ou un pantalon large.",
       ["look", "tenue", "basiques"]),
    _b("Baskets blanches", ["mode"], "Des baskets blanches en cuir pour les looks de rentrée.", ["look", "chaussures"]),
    _b("Trench mi-saison", ["mode"], "Un trench léger pour la mi-saison, trois façons de le porter.", ["tenue", "veste"]),
    _b("Yaourt brassé goûter", ["cuisine"], "Un yaourt brassé à la vanille pour des desserts et goûters maison.",
       ["recette", "dessert", "goûter"]),
    _b("Miel de lavande", ["cuisine"], "Un miel de lavande de Provence pour remplacer le sucre dans vos recettes.",
       ["recette", "pâtisserie"]),
    _b("Accords mets et vins", ["cuisine"], "Des accords mets et vins pour les repas de fêtes, une bouteille de vin rouge à découvrir.",
       ["recette", "repas", "vin"], ["alcool"]),
    _b("Robe de grossesse", ["parentalite"], "Une robe de grossesse confortable pour les futures mamans enceintes.",
       ["maternité", "grossesse"], ["grossesse"]),
    _b("Porte-bébé", ["parentalite"], "Un porte-bébé physiologique pour le portage des premiers mois.",
       ["portage", "bébé"]),
    _b("Jeux pour enfants", ["parentalite", "loisirs_culture"], "Des jeux d'éveil pour occuper les enfants le dimanche.",
       ["enfants", "famille"]),
    _b("Peinture vert sauge", ["deco_maison"], "Une peinture mate vert sauge pour repeindre un salon.",
       ["décoration", "salon"]),
    _b("Étagères en chêne", ["deco_maison"], "Des étagères murales en chêne massif, pour une bibliothèque.",
       ["meubles", "rangement"]),
    _b("Vases de brocante", ["deco_maison"], "Une collection de vases en céramique esprit brocante.", ["déco", "chiner"]),
    _b("Vélo de voyage", ["voyage"], "Un vélo de randonnée pour voyager en itinérance le long des canaux.",
       ["vélo", "itinéraire", "étapes"]),
    _b("Chambres d'hôtes", ["voyage"], "Un guide des chambres d'hôtes de l'Aude pour un séjour au calme.",
       ["séjour", "escapade"]),
    _b("Valise cabine", ["voyage"], "Une valise cabine légère pour les week-ends en train ou en avion.",
       ["voyage", "week-end"]),
    _b("Smartphone", ["high_tech"], "Un smartphone à grande autonomie, appareil photo soigné.",
       ["téléphone", "autonomie", "application"]),
    _b("Sauvegarde photos", ["high_tech"], "Un disque de sauvegarde pour vos photos, sans abonnement.",
       ["sauvegarde", "photos"]),
    _b("Appli de paris sportifs", ["high_tech", "loisirs_culture"], "Une application de paris sportifs et de poker en ligne.",
       ["application", "paris"], ["jeux d'argent"]),
    _b("Voiture électrique", ["auto_moto"], "Un essai de voiture électrique sur autoroute, recharge comprise.",
       ["recharge", "électrique", "trajet"]),
    _b("Borne de recharge", ["auto_moto"], "Une borne de recharge à domicile pour voiture électrique.", ["recharge", "borne"]),
    _b("Contrôle technique", ["auto_moto"], "Un réseau de garages pour le contrôle technique et l'entretien.",
       ["garage", "contrôle"]),
    _b("Carnet de gratitude", ["lifestyle"], "Un carnet de gratitude pour noter ses petits bonheurs de la semaine.",
       ["rituel", "coups de cœur"]),
    _b("Box mensuelle", ["lifestyle"], "Une box de petits plaisirs chaque mois, coups de cœur et surprises.",
       ["favoris", "quotidien"]),
    _b("Agenda", ["lifestyle"], "Un agenda papier pour organiser son quotidien et ses anniversaires.",
       ["organisation", "quotidien"]),
    _b("Tapis de yoga", ["sante_bienetre"], "Un tapis de yoga antidérapant pour les séances du soir.",
       ["yoga", "détente", "sommeil"]),
    _b("Tisane du soir", ["sante_bienetre"], "Une tisane relaxante pour mieux dormir.", ["sommeil", "tisane"]),
    _b("Programme minceur", ["sante_bienetre"], "Un programme minceur et régime détox pour perdre du poids.",
       ["régime", "minceur"], ["régimes"]),
    _b("Roman de la rentrée", ["loisirs_culture"], "Un roman de la rentrée littéraire à lire en deux soirées.",
       ["lecture", "livre"]),
    _b("Festival de jazz", ["loisirs_culture"], "Des places pour un festival de jazz cet été.", ["musique", "concert"]),
    _b("Escape game", ["loisirs_culture", "lifestyle"], "Un escape game à tester entre amis.", ["sortie", "amis"]),
]


def grade(blog: FarmBlog, case: BriefCase) -> int:
    if "gone" in blog.faults or set(blog.never_topics) & set(case.concerns):
        return 0
    value = 3 if blog.topics[0] in case.topics else 1 if blog.topics[1] in case.topics else 0
    if blog.sponsored_share > SANDWICH:
        value -= 2
    return max(value, 0)


def must_exclude(blog: FarmBlog, case: BriefCase) -> bool:
    return "gone" in blog.faults or bool(set(blog.never_topics) & set(case.concerns))


def profile_row(blog: FarmBlog, now: datetime) -> ProfileRow:
    """The blog as the veille would see it: its feed, parsed and analysed, folded into a profile."""
    if "gone" in blog.faults:
        return ProfileRow(blog_id=blog.index, terms={}, length=0, topics={}, contactable=True,
                          never=tuple(blog.never_topics))
    base = f"http://{blog.slug}.farm.localhost"
    entries = parse_feed(rss(blog, base, full=True).encode(blog.charset, "xmlcharrefreplace"), base + "/")
    facts = []
    empty = Lexicon([])
    for entry in entries:
        article = extract_fragment(entry.html, entry.title)
        verdict = analyze(article, empty)
        facts.append(PostFacts(published_at=entry.published or now, title=entry.title or "",
                               text=article.text, topics=verdict.topics, disclosure=verdict.disclosure.label,
                               giveaway=verdict.giveaway.present, comment_count=entry.comments))
    profile = fold(DecayedProfile(), facts, now)
    stats = window_stats(facts, now)
    return ProfileRow(
        blog_id=blog.index, terms=profile.terms, length=profile.length, topics=profile.topic_weights,
        language=profile.language or "fr",
        last_post_days=(now - stats.last_post_at).total_seconds() / 86400 if stats.last_post_at else None,
        sponsored_share=stats.sponsored_share, posts_90d=stats.posts, never=tuple(blog.never_topics),
    )


def brief_of(case: BriefCase) -> Brief:
    query = terms(case.text)
    for keyword in case.keywords:
        for stem, count in terms(keyword).items():
            query[stem] += 2 * count
    return Brief(terms=dict(query), topics=case.topics, language="fr", inactive_days=60)


@dataclass
class BriefResult:
    case: BriefCase
    ndcg: float
    precision: float
    violations: int
    sandwiches: int
    profiles: int  # distinct (main topic, second topic) pairs among the k: how varied the shortlist is


@dataclass
class Report:
    results: list[BriefResult] = field(default_factory=list)

    def mean(self, attribute: str) -> float:
        return sum(getattr(r, attribute) for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def violations(self) -> int:
        return sum(r.violations for r in self.results)


def ndcg(grades: list[int], ideal: list[int], k: int) -> float:
    def dcg(values):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))
    best = dcg(sorted(ideal, reverse=True))
    return dcg(grades) / best if best else 0.0


def evaluate(blogs: int = 300, seed: int = 11, k: int = 20, weights: Weights | None = None,
             briefs: list[BriefCase] = BRIEFS) -> Report:
    catalog = build_catalog(blogs, seed, today=TODAY)
    now = datetime.combine(TODAY, time(12), tzinfo=UTC)
    index = ProfileIndex([profile_row(b, now) for b in catalog])
    by_index = {b.index: b for b in catalog}
    report = Report()
    for case in briefs:
        ranking = rank(index, brief_of(case), weights, k)
        chosen = [by_index[c.blog_id] for c in ranking.candidates]
        grades = [grade(b, case) for b in chosen]
        report.results.append(BriefResult(
            case=case, ndcg=ndcg(grades, [grade(b, case) for b in catalog], k),
            precision=sum(g >= 2 for g in grades) / k,
            violations=sum(must_exclude(b, case) for b in chosen),
            sandwiches=sum(b.sponsored_share > SANDWICH for b in chosen),
            profiles=len({tuple(b.topics) for b in chosen}),
        ))
    return report
