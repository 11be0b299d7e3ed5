"""Ranking an operation's brief against the organisation's blogs, from the database.

This is where the pure ranker (rank.py) meets the data: the profiles (indexed
once and cached until one changes), the people behind each blog (opt-out,
never-topics, wishes), the agency's history with each blog (operations,
parcels, articles) and this operation's own exclusions. Each candidate comes
back with the French sentence that explains it and the warnings a CM must
see before choosing it.
"""

import threading
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ambassade.blogs.models import Blog, Blogger
from ambassade.blogs.topics import topic_label
from ambassade.campaigns.models import Operation, Placement, PlacementEvent
from ambassade.campaigns.status import Status
from ambassade.lib.folding import fold
from ambassade.logistics.models import MovementKind, StockMovement
from ambassade.watch.detect.topics import classify
from ambassade.watch.models import Post

from .models import BlogProfile
from .never import phrases, taxonomy_slug
from .profile import decay
from .rank import (
    EXCLUSION_ORDER,
    Brief,
    Candidate,
    ProfileIndex,
    ProfileRow,
    Weights,
    assess,
    index_postings,
    rank,
)
from .text import terms

EXCLUSION_LABELS = {
    "placed": gettext_lazy("déjà dans l'opération"),
    "opted_out": gettext_lazy("opposition : ne veut plus être contacté"),
    "no_contact": gettext_lazy("pas de contact : personne à qui écrire pour l'instant"),
    "never_topic": gettext_lazy("ne veut pas entendre parler de ce sujet"),
    "avoided_topic": gettext_lazy("écrit sur un thème à éviter pour cette opération"),
    "refused": gettext_lazy("a décliné ce client récemment"),
    "competitor": gettext_lazy("travaille avec un concurrent"),
    "inactive": gettext_lazy("inactif (aucun billet récent)"),
    "language": gettext_lazy("écrit dans une autre langue"),
}
UNPUBLISHED_AFTER_DAYS = 45  # a product received this long ago with no article counts as not published
_cache: dict[int, tuple[tuple, list, dict]] = {}
_cache_lock = threading.Lock()


@dataclass
class Proposal:
    blog: Blog
    candidate: Candidate
    profile: BlogProfile
    sentence: str
    warnings: list[str] = field(default_factory=list)

    @property
    def breakdown(self) -> dict[str, float]:
        return self.candidate.breakdown

    def as_json(self) -> dict:
        return {"blog_id": self.blog.pk, "blog": self.blog.name, "url": self.blog.url,
                "score": self.candidate.score, "breakdown": self.breakdown, "reason": self.sentence,
                "warnings": self.warnings, "matched": self.candidate.matched[:5]}


@dataclass
class Shortlist:
    proposals: list[Proposal]
    eligible: int
    excluded: dict[str, int]
    brief: Brief
    excluded_blogs: dict[str, list[Blog]] = field(default_factory=dict)  # reason → the blogs it left out

    def excluded_json(self) -> dict[str, list[dict]]:
        return {reason: [{"blog_id": b.pk, "blog": b.name, "url": b.url} for b in blogs]
                for reason, blogs in self.excluded_blogs.items()}


def brief_for(operation: Operation, now=None, *, include_without_contact: bool = False) -> Brief:
    """The query (stems and weights), topics and this operation's exclusions."""
    now = now or timezone.now()
    # Not the product's or brand's names: a blog that already wrote about the product is no sign
    # it suits the brief (the veille's lexicon is for that); what the brief is about is.
    text = "\n".join([operation.brief, operation.product_description])
    query = terms(text)
    for keyword in operation.keywords:  # typed on purpose by the CM: they weigh double
        for stem, count in terms(keyword).items():
            query[stem] += 2 * count
    topics = tuple(operation.target_topics) or tuple(classify(text + " " + " ".join(operation.keywords), limit=2))
    placements = Placement.objects.filter(operation__organisation=operation.organisation_id)
    refusal_since = now - timedelta(days=30 * settings.TARGETING_REFUSAL_MONTHS)
    refused = placements.filter(operation__client=operation.client_id, status=Status.DECLINED,
                                status_changed_at__gte=refusal_since).values_list("blog_id", flat=True)
    return Brief(
        terms=dict(query), topics=topics, language=operation.language,
        inactive_days=settings.TARGETING_INACTIVE_DAYS, refused=frozenset(refused),
        competitor=frozenset(_competitor_blogs(operation, now)),
        placed=frozenset(placements.filter(operation=operation).values_list("blog_id", flat=True)),
        same_category=_same_category(operation, now),
        avoided_phrases=tuple(p for topic in operation.topics_avoided for p in phrases(topic)),
        avoided_topics=tuple(slug for slug in (taxonomy_slug(t) for t in operation.topics_avoided) if slug),
        include_without_contact=include_without_contact,
    )


def _competitor_blogs(operation: Operation, now) -> set[int]:
    """Blogs working with a competitor: in a live operation for it, or a recent commercial post about it."""
    names = [n for n in operation.competitors if n.strip()]
    if not names:
        return set()
    folded = {fold(n).text.strip() for n in names}
    rivals = [op.pk for op in Operation.objects.filter(organisation=operation.organisation_id)
              .exclude(pk=operation.pk).only("brand") if fold(op.brand).text.strip() in folded]
    blogs = set(Placement.objects.filter(operation__in=rivals, status_changed_at__gte=now - timedelta(days=180))
                .exclude(status__in=[Status.CANDIDATE, Status.SHORTLISTED, Status.DECLINED, Status.OPTED_OUT])
                .values_list("blog_id", flat=True))
    mentions = Q()
    for name in names:
        mentions |= Q(title__icontains=name) | Q(excerpt__icontains=name)
    blogs |= set(Post.objects.filter(mentions, blog__organisation=operation.organisation_id,
                                     disclosure__in=["gifted", "sponsored"],
                                     published_at__gte=now - timedelta(days=90)).values_list("blog_id", flat=True))
    return blogs


def _same_category(operation: Operation, now) -> dict[int, int]:
    if not operation.product_category:
        return {}
    rows = (StockMovement.objects.filter(kind=MovementKind.SHIPPED, at__gte=now - timedelta(days=90),
                                         product__organisation=operation.organisation_id,
                                         product__category__iexact=operation.product_category,
                                         placement__isnull=False)
            .values("placement__blog_id").annotate(n=Count("id")))
    return {r["placement__blog_id"]: r["n"] for r in rows}


def _profiles(organisation_id: int, now):
    """The organisation's profiles as rows and their inverted index, rebuilt only when a profile changed."""
    profiles = BlogProfile.objects.filter(blog__organisation=organisation_id)
    key = tuple(profiles.aggregate(n=Count("id"), at=Max("updated_at")).values())
    with _cache_lock:
        cached = _cache.get(organisation_id)
        if cached and cached[0] == key:
            return cached[1], cached[2]
    rows = []
    for p in profiles.select_related("blog").only(
            "blog__language", "blog__status", "terms", "terms_length", "topic_mass", "language", "decayed_at",
            "last_post_at", "posts_90d", "gifted_90d", "sponsored_90d", "giveaways_90d").iterator(chunk_size=2000):
        factor = decay((now - p.decayed_at).total_seconds() / 86400) if p.decayed_at else 1.0
        rows.append(ProfileRow(
            blog_id=p.blog_id, terms={s: w * factor for s, w in p.terms.items()}, length=p.terms_length * factor,
            topics=p.topic_weights, language=p.language or p.blog.language,
            last_post_days=(now - p.last_post_at).total_seconds() / 86400 if p.last_post_at else None,
            sponsored_share=p.sponsored_share, posts_90d=p.posts_90d,
        ))
    postings = index_postings(rows)
    with _cache_lock:
        _cache[organisation_id] = (key, rows, postings)
    return rows, postings


def load_index(organisation_id: int, now=None) -> ProfileIndex:
    """Profiles (cached) joined with what changes without a new post: people and history."""
    now = now or timezone.now()
    cached_rows, postings = _profiles(organisation_id, now)
    people = _people(organisation_id)
    history = _history(organisation_id, now)
    rows = []
    for base in cached_rows:
        never, wanted, contactable = people.get(base.blog_id, ((), (), False))
        h = history.get(base.blog_id, {})
        rows.append(ProfileRow(
            **{**base.__dict__, "never": never, "wanted": wanted, "contactable": contactable,
               "has_contact": base.blog_id in people,
               "placements_6m": h.get("placements_6m", 0), "shipped_30d": h.get("shipped_30d", 0),
               "published": h.get("published", 0), "unpublished": h.get("unpublished", 0)}))
    return ProfileIndex(rows, postings=postings)


def _people(organisation_id: int) -> dict[int, tuple[tuple, tuple, bool]]:
    """Per blog: every blogger's never-topics, their wishes, and whether anyone may be contacted."""
    found: dict[int, tuple[set, set, bool]] = {}
    for blog_id, never, wanted, opted_out in Blogger.objects.filter(organisation=organisation_id).values_list(
            "blog_id", "topics_never", "topics_wanted", "opted_out_at"):
        n, w, ok = found.get(blog_id, (set(), set(), False))
        found[blog_id] = (n | set(never or []), w | set(wanted or []), ok or opted_out is None)
    return {b: (tuple(sorted(n)), tuple(sorted(w)), ok) for b, (n, w, ok) in found.items()}


def _history(organisation_id: int, now) -> dict[int, dict]:
    """The agency's record with each blog, across all its clients."""
    history: dict[int, dict] = {}
    events = PlacementEvent.objects.filter(placement__operation__organisation=organisation_id)
    for key, query in (
        ("placements_6m", events.filter(to_status=Status.PITCHED, at__gte=now - timedelta(days=182))),
        ("shipped_30d", events.filter(to_status=Status.SHIPPED, at__gte=now - timedelta(days=30))),
    ):
        for row in query.values("placement__blog_id").annotate(n=Count("id")):
            history.setdefault(row["placement__blog_id"], {})[key] = row["n"]
    placements = Placement.objects.filter(operation__organisation=organisation_id)
    overdue = now - timedelta(days=UNPUBLISHED_AFTER_DAYS)
    for row in placements.values("blog_id").annotate(
            published=Count("id", filter=Q(status=Status.PUBLISHED)),
            unpublished=Count("id", filter=Q(status=Status.NOT_PUBLISHED)
                              | Q(status__in=[Status.SHIPPED, Status.RECEIVED], status_changed_at__lt=overdue))):
        history.setdefault(row["blog_id"], {}).update(published=row["published"], unpublished=row["unpublished"])
    for row in events.filter(to_status=Status.PITCHED).values("placement__blog_id").annotate(last=Max("at")):
        history.setdefault(row["placement__blog_id"], {})["last_pitch"] = row["last"]
    return history


def shortlist(operation: Operation, weights: Weights | None = None, limit: int = 20, now=None, *,
              include_without_contact: bool = False) -> Shortlist:
    now = now or timezone.now()
    brief = brief_for(operation, now, include_without_contact=include_without_contact)
    ranking = rank(load_index(operation.organisation_id, now), brief, weights, limit)
    ids = {reason: list(blog_ids) for reason, blog_ids in ranking.excluded_ids.items()}
    # A blog the veille never read has no profile yet: it is "inactive" as far as anyone can tell.
    unread = list(Blog.objects.filter(organisation=operation.organisation_id, profile__isnull=True)
                  .values_list("pk", flat=True))
    if unread:
        ids["inactive"] = ids.get("inactive", []) + unread
    blogs = Blog.objects.in_bulk([b for blog_ids in ids.values() for b in blog_ids])
    excluded_blogs = {reason: sorted((blogs[b] for b in ids[reason] if b in blogs), key=lambda b: b.name.lower())
                      for reason in EXCLUSION_ORDER if ids.get(reason)}
    excluded = {reason: len(found) for reason, found in excluded_blogs.items()}
    return Shortlist(_proposals(operation, ranking.candidates, brief, now), ranking.eligible, excluded, brief,
                     excluded_blogs)


def assess_blog(operation: Operation, blog_id: int, weights: Weights | None = None, now=None, *,
                include_without_contact: bool = False) -> Proposal | str:
    """One blog for this operation: its proposal with reasons, or why it may not be proposed."""
    now = now or timezone.now()
    brief = brief_for(operation, now, include_without_contact=include_without_contact)
    result = assess(load_index(operation.organisation_id, now), brief, weights or Weights(), blog_id)
    if isinstance(result, str):
        return str(EXCLUSION_LABELS[result])
    return _proposals(operation, [result], brief, now)[0]


def _proposals(operation: Operation, candidates: list[Candidate], brief: Brief, now) -> list[Proposal]:
    ids = [c.blog_id for c in candidates]
    blogs = Blog.objects.in_bulk(ids)
    profiles = {p.blog_id: p for p in BlogProfile.objects.filter(blog_id__in=ids)}
    history = _history(operation.organisation_id, now)
    matching = _matching_posts(candidates, now)
    without_contact = set(Blog.objects.filter(pk__in=ids, bloggers__isnull=True).values_list("pk", flat=True))
    return [
        Proposal(blog=blogs[c.blog_id], candidate=c, profile=profiles[c.blog_id],
                 sentence=explain(c, profiles[c.blog_id], history.get(c.blog_id, {}), matching.get(c.blog_id, 0),
                                  brief, now),
                 warnings=([str(_("pas encore de contact : ajoutez la personne avant de lui écrire"))]
                           if c.blog_id in without_contact else [])
                 + warnings_for(profiles[c.blog_id], history.get(c.blog_id, {})))
        for c in candidates
    ]


def _matching_posts(candidates: list[Candidate], now) -> dict[int, int]:
    """How many of each candidate's posts of the last 90 days are on the brief's strongest terms."""
    wanted = {c.blog_id: set(c.matched[:3]) for c in candidates if c.matched}
    counts: dict[int, int] = {}
    posts = Post.objects.filter(blog_id__in=wanted, published_at__gte=now - timedelta(days=90))
    for blog_id, title, text, excerpt in posts.values_list("blog_id", "title", "text", "excerpt"):
        if wanted[blog_id] & set(terms(f"{title}\n{text or excerpt}")):
            counts[blog_id] = counts.get(blog_id, 0) + 1
    return counts


def explain(candidate: Candidate, profile: BlogProfile, history: dict, matching: int, brief: Brief, now) -> str:
    """One French sentence: what the blog writes about the brief, how sponsored it is, our last contact."""
    parts = []
    words = [profile.words.get(s, s) for s in candidate.matched[:2]]
    if matching and words:
        parts.append(ngettext("%(n)d billet sur « %(words)s » en 90 jours", "%(n)d billets sur « %(words)s » en 90 jours",
                              matching) % {"n": matching, "words": ", ".join(words)})
    else:
        weights = profile.topic_weights
        topic = next((t for t in weights if t in brief.topics), None) or next(iter(weights), None)
        if topic:
            parts.append(_("écrit sur %(topic)s (%(share)d %% des billets)")
                         % {"topic": topic_label(topic).lower(), "share": round(100 * weights[topic])})
    share = round(100 * profile.sponsored_share)
    parts.append(_("%(share)d %% sponsorisés") % {"share": share} if share else _("aucun billet sponsorisé"))
    last = history.get("last_pitch")
    if last is None:
        parts.append(_("jamais sollicité par l'agence"))
    else:
        days = (now - last).days
        if days >= 60:
            parts.append(ngettext("dernière opération il y a %(n)d mois", "dernière opération il y a %(n)d mois",
                                  days // 30) % {"n": days // 30})
        elif days >= 1:
            parts.append(ngettext("dernière opération il y a %(n)d jour", "dernière opération il y a %(n)d jours",
                                  days) % {"n": days})
        else:
            parts.append(_("contacté aujourd'hui pour une autre opération"))
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:]


def warnings_for(profile: BlogProfile, history: dict) -> list[str]:
    found = []
    shipped = history.get("shipped_30d", 0)
    if shipped >= 2:
        found.append(_("a reçu %(n)d produits ce mois-ci") % {"n": shipped})
    unpublished, published = history.get("unpublished", 0), history.get("published", 0)
    if unpublished and not published:
        found.append(ngettext("n'a jamais publié après %(n)d envoi", "n'a jamais publié après %(n)d envois",
                              unpublished) % {"n": unpublished})
    if profile.sponsored_share >= 0.5:
        found.append(_("%(share)d %% de billets sponsorisés en 90 jours") % {"share": round(100 * profile.sponsored_share)})
    if history.get("placements_6m", 0) >= 3:
        found.append(_("%(n)d opérations avec l'agence en 6 mois") % {"n": history["placements_6m"]})
    if profile.posts_per_month and profile.posts_per_month < 1:
        found.append(_("publie peu : moins d'un billet par mois"))
    return found
