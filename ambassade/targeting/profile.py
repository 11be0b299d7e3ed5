"""A blog's profile from its posts, folded in one post at a time. Pure.

The vocabulary, topic weights and language are exponentially decayed sums
(half-life `HALF_LIFE_DAYS`): adding a post costs only that post, and an old
post fades without ever having to be subtracted. Counts over the last 90 days
(sponsored share, rhythm) are exact and come from `window_stats`, which is
given the posts of those 90 days.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .text import language_of, surface_forms, terms

HALF_LIFE_DAYS = 90.0
MAX_TERMS = 150  # per blog: enough to describe it, small enough for 100,000 profiles in memory
TOPIC_RANK_WEIGHTS = (1.0, 0.5, 0.33)  # a post's first topic counts most
WINDOW_DAYS = 90
COMMERCIAL_WEIGHT = 0.5


@dataclass
class PostFacts:
    """What the profile needs from one post."""

    published_at: datetime
    title: str = ""
    text: str = ""
    topics: list[str] = field(default_factory=list)
    disclosure: str = "none"
    giveaway: bool = False
    comment_count: int | None = None


@dataclass
class DecayedProfile:
    """The decayed part of a profile, as of `as_of`."""

    as_of: datetime | None = None
    terms: dict[str, float] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    length: float = 0.0
    topic_mass: dict[str, float] = field(default_factory=dict)
    languages: dict[str, float] = field(default_factory=dict)

    @property
    def topic_weights(self) -> dict[str, float]:
        total = sum(self.topic_mass.values())
        return {t: m / total for t, m in sorted(self.topic_mass.items(), key=lambda kv: -kv[1])} if total else {}

    @property
    def language(self) -> str:
        return max(self.languages, key=self.languages.get) if self.languages else ""

    def vocabulary(self, limit: int = 12) -> list[str]:
        ranked = sorted(self.terms, key=lambda s: -self.terms[s])[:limit]
        return [self.words.get(s, s) for s in ranked]


def decay(days: float) -> float:
    return 0.5 ** (max(days, 0.0) / HALF_LIFE_DAYS)


def fold(profile: DecayedProfile, posts: list[PostFacts], now: datetime) -> DecayedProfile:
    """The profile with `posts` added, decayed to `now`. Returns a new object."""
    factor = decay((now - profile.as_of).total_seconds() / 86400) if profile.as_of else 1.0
    counts = Counter({s: w * factor for s, w in profile.terms.items()})
    topic_mass = Counter({t: m * factor for t, m in profile.topic_mass.items()})
    languages = Counter({k: v * factor for k, v in profile.languages.items()})
    words = dict(profile.words)
    length = profile.length * factor
    for post in posts:
        weight = decay((now - post.published_at).total_seconds() / 86400)
        if post.disclosure in ("gifted", "sponsored") or post.giveaway:
            # A paid or gifted post says what a brand asked for more than what the blog is about.
            weight *= COMMERCIAL_WEIGHT
        body = f"{post.title}\n{post.title}\n{post.text}"  # the title says what the post is about: twice
        found = terms(body)
        for stem, count in found.items():
            counts[stem] += count * weight
        length += sum(found.values()) * weight
        for stem, word in surface_forms(post.title + "\n" + post.text[:3000]).items():
            words.setdefault(stem, word)
        for rank, topic in enumerate(post.topics[: len(TOPIC_RANK_WEIGHTS)]):
            topic_mass[topic] += TOPIC_RANK_WEIGHTS[rank] * weight
        language = language_of(post.title + " " + post.text)
        if language:
            languages[language] += weight
    kept = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:MAX_TERMS])
    return DecayedProfile(
        as_of=now,
        terms={s: round(w, 4) for s, w in kept.items()},
        words={s: words[s] for s in kept if s in words},
        length=round(length, 3),
        topic_mass={t: round(m, 4) for t, m in topic_mass.items() if m > 1e-4},
        languages={k: round(v, 4) for k, v in languages.items()},
    )


@dataclass(frozen=True)
class WindowStats:
    posts: int
    gifted: int
    sponsored: int
    giveaways: int
    posts_per_month: float
    last_post_at: datetime | None
    comments_per_post: float | None

    @property
    def sponsored_share(self) -> float:
        """Share of the window's posts that were gifted, sponsored or a giveaway."""
        if not self.posts:
            return 0.0
        return self.commercial / self.posts

    @property
    def commercial(self) -> int:
        return self.gifted + self.sponsored + self.giveaways


def window_stats(posts: list[PostFacts], now: datetime, last_post_at: datetime | None = None) -> WindowStats:
    """Counts over the posts of the last `WINDOW_DAYS` days (others are ignored)."""
    since = now - timedelta(days=WINDOW_DAYS)
    recent = [p for p in posts if p.published_at >= since]
    commented = [p.comment_count for p in recent if p.comment_count is not None]
    latest = max((p.published_at for p in posts), default=None)
    if last_post_at and (latest is None or last_post_at > latest):
        latest = last_post_at
    return WindowStats(
        posts=len(recent),
        # A giveaway post usually says the prize was given: it counts once, as a giveaway.
        gifted=sum(p.disclosure == "gifted" and not p.giveaway for p in recent),
        sponsored=sum(p.disclosure == "sponsored" and not p.giveaway for p in recent),
        giveaways=sum(p.giveaway for p in recent),
        posts_per_month=round(len(recent) / (WINDOW_DAYS / 30), 2),
        last_post_at=latest,
        comments_per_post=round(sum(commented) / len(commented), 2) if commented else None,
    )
