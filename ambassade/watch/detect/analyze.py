"""One verdict per article: is it coverage of the product, does it disclose, is it a giveaway.

Pure: an Article and a Lexicon in, a Verdict out. Every verdict carries the
phrase that justifies it. The JSON form is the `ambassade analyze --json`
contract that other tools depend on: keep it stable.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ambassade.lib.folding import fold

from .disclosure import Disclosure, detect_disclosure
from .extract import Article
from .giveaway import Giveaway, detect_giveaway
from .lexicon import Hit, Lexicon, Term
from .subject import is_subject, written_as_names
from .topics import classify


@dataclass
class Mention:
    term: str
    kind: str
    count: int
    snippet: str


@dataclass
class Verdict:
    title: str | None
    published: object
    is_coverage: bool
    subject: bool
    mentions: list[Mention]
    disclosure: Disclosure
    giveaway: Giveaway
    topics: list[str] = field(default_factory=list)
    folded: tuple = field(default=(), repr=False, compare=False)  # (title, body), to reuse

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "is_coverage": self.is_coverage,
            "subject": self.subject,
            "mentions": [
                {"term": m.term, "kind": m.kind, "count": m.count, "snippet": m.snippet} for m in self.mentions
            ],
            "disclosure": {"label": self.disclosure.label, "cue": self.disclosure.cue},
            "giveaway": {
                "present": self.giveaway.present,
                "cue": self.giveaway.cue,
                "deadline": self.giveaway.deadline.isoformat() if self.giveaway.deadline else None,
            },
            "topics": list(self.topics),
        }


def analyze(article: Article, lexicon: Lexicon, group: object = None) -> Verdict:
    """The verdict for one group's terms (an operation); `group=None` means every term."""
    whole, per_group = analyze_groups(article, lexicon)
    if group is None:
        return whole
    if group in per_group:
        return per_group[group]
    return _verdict(article, *whole.folded, [], [], lexicon, group, (whole.disclosure, whole.giveaway, whole.topics))


def analyze_groups(article: Article, lexicon: Lexicon) -> tuple[Verdict, dict]:
    """Fold and scan the article once: the verdict over every term, and one per group
    (operation) named in it. The crawler's path: one post against every running operation."""
    title, body = fold(article.title or ""), fold(article.text)
    title_hits, body_hits = written_as_names(title, lexicon.find(title)), written_as_names(body, lexicon.find(body))
    shared = (detect_disclosure(title, body), detect_giveaway(body, article.published),
              classify(article.text, title=article.title or ""))
    whole = _verdict(article, title, body, title_hits, body_hits, lexicon, None, shared)
    groups = {h.term.group for h in title_hits + body_hits}
    groups |= {term.group for term, _link in _link_mentions(article.links, lexicon, None)}
    per_group = {
        g: _verdict(article, title, body, _of_group(title_hits, g), _of_group(body_hits, g), lexicon, g, shared)
        for g in groups
    }
    return whole, per_group


def _verdict(article, title, body, title_hits, body_hits, lexicon, group, shared) -> Verdict:
    link_hits = _link_mentions(article.links, lexicon, group)

    mentions = _summarise(title, title_hits, body, body_hits, link_hits)
    named = [h for h in title_hits + body_hits if h.term.kind != "domain"]
    subject = bool(named) and is_subject(title_hits, body_hits, body, article)
    disclosure, giveaway, topics = shared
    return Verdict(
        title=article.title,
        published=article.published,
        is_coverage=subject,
        subject=subject,
        mentions=mentions,
        disclosure=disclosure,
        giveaway=giveaway,
        topics=topics,
        folded=(title, body),
    )


def lexicon_for(brand: str, products=(), aliases=(), domains=(), group: object = None) -> Lexicon:
    terms = [Term(brand, "brand", group)] if brand else []
    terms += [Term(p, "product", group) for p in products]
    terms += [Term(a, "alias", group) for a in aliases]
    terms += [Term(d, "domain", group) for d in domains]
    return Lexicon(terms)


def _of_group(hits: list[Hit], group) -> list[Hit]:
    return hits if group is None else [h for h in hits if h.term.group == group]


def _link_mentions(links: list[str], lexicon: Lexicon, group) -> list[tuple[Term, str]]:
    """Links from the main text to a brand domain ('laiterie-delacour.fr', 'www.…', 'shop.…')."""
    domains = [t for t in lexicon.terms if t.kind == "domain" and (group is None or t.group == group)]
    found = []
    for link in links:
        host = (urlsplit(link).hostname or "").lower()
        for term in domains:
            domain = term.text.lower().removeprefix("www.")
            if host == domain or host.endswith("." + domain):
                found.append((term, link))
    return found


def _summarise(title, title_hits, body, body_hits, link_hits) -> list[Mention]:
    counts: Counter = Counter()
    snippets: dict[Term, str] = {}
    # The body's sentence is better evidence than the title, which the CM already sees.
    for folded, hits in ((body, body_hits), (title, title_hits)):
        for hit in hits:
            counts[hit.term] += 1
            snippets.setdefault(hit.term, folded.snippet(hit.start, hit.end))
    for term, link in link_hits:
        counts[term] += 1
        snippets.setdefault(term, link)
    order = {kind: i for i, kind in enumerate(("brand", "product", "alias", "domain"))}
    return [
        Mention(term.text, term.kind, counts[term], snippets[term])
        for term in sorted(counts, key=lambda t: (order[t.kind], -counts[t], t.text))
    ]
