"""The farm's blogs and posts, generated deterministically from a seed.

Each blog carries its ground truth (topics, sponsored share, never-topics,
what each post really is) so that tests and evaluations can be honest.
"""

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ambassade.lib.french import elide

from . import content as C

FIRST_NAMES = [
    "Camille", "Léa", "Chloé", "Manon", "Inès", "Sarah", "Julie", "Emma", "Clara", "Pauline",
    "Lucie", "Marion", "Anaïs", "Élodie", "Mathilde", "Justine", "Margaux", "Laura", "Hélène",
    "Sophie", "Nicolas", "Thomas", "Julien", "Maxime", "Hugo", "Antoine", "Aurélie", "Céline",
    "Delphine", "Gaëlle", "Noémie", "Océane", "Morgane", "Romain", "Zoé", "Agathe",
]
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
]
NAME_PATTERNS = {
    "beaute": ["Les pinceaux de {n}", "{n} se maquille", "Le vanity de {n}"],
    "mode": ["{n} s'habille", "Le dressing de {n}", "Mode et moi par {n}"],
    "cuisine": ["{n} en cuisine", "Les petits plats de {n}", "La cuillère de {n}"],
    "parentalite": ["Maman {n}", "Les tribulations de {n}", "{n} et sa tribu"],
    "deco_maison": ["La maison de {n}", "Chez {n}, déco", "Le nid de {n}"],
    "voyage": ["{n} en vadrouille", "Les carnets de route de {n}", "Sac à dos et {n}"],
    "high_tech": ["{n} geek", "Le labo de {n}"],
    "auto_moto": ["{n} au volant", "Deux roues et {n}"],
    "lifestyle": ["Le petit monde de {n}", "Les carnets de {n}", "Chez {n}"],
    "sante_bienetre": ["{n} zen", "Le bien-être selon {n}"],
    "loisirs_culture": ["{n} bouquine", "Les sorties de {n}"],
}
PLATFORMS = ["wordpress"] * 8 + ["blogger"] * 4 + ["overblog"] * 3 + ["canalblog"] * 3 + ["hautetfort"] * 2
NEVER_TOPICS = ["grossesse", "peaux sèches", "alcool", "jeux d'argent", "régimes"]


def slugify(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


@dataclass
class FarmPost:
    id: int
    slug: str
    title: str
    published: datetime
    topic: str
    kind: str  # gifted | sponsored | giveaway | self_bought | passing | trap | unrelated
    paragraphs: list[str]
    comments: list[tuple[str, str]]
    brand: str | None = None
    product: str | None = None
    disclosure: str = "none"  # the truth: gifted | sponsored | self_bought | none
    giveaway_deadline: date | None = None
    undated: bool = False
    related: list[str] = field(default_factory=list)  # "Vous aimerez aussi" titles (boilerplate)

    @property
    def is_coverage_of(self) -> str | None:
        """The brand this post is about (passing mentions and traps are not coverage)."""
        return self.brand if self.kind in ("gifted", "sponsored", "giveaway", "self_bought") else None

    @property
    def summary(self) -> str:
        return self.paragraphs[0][:240]


@dataclass
class FarmBlog:
    index: int
    slug: str
    name: str
    first_name: str
    last_name: str
    platform: str
    charset: str
    topics: list[str]
    sponsored_share: float
    never_topics: list[str]
    posts_per_month: int
    seed: int
    today: date
    faults: set[str] = field(default_factory=set)
    about: str = ""  # the sidebar's "À propos" text, boilerplate by nature
    extra_posts: list[FarmPost] = field(default_factory=list)
    _posts: list[FarmPost] | None = None
    _sorted: list[FarmPost] | None = None

    def host(self, domain: str) -> str:
        return f"{self.slug}.{domain}"

    @property
    def email(self) -> str:
        return f"{slugify(self.first_name)}@{self.slug}.example"

    @property
    def posts(self) -> list[FarmPost]:
        """Newest first. Generated on first use so that 10,000 blogs cost little until read."""
        if self._posts is None:
            self._posts = _generate_posts(self)
        if self._sorted is None:
            self._sorted = sorted([*self._posts, *self.extra_posts], key=lambda p: p.published, reverse=True)
        return self._sorted

    def post_by_slug(self, slug: str) -> FarmPost | None:
        return next((p for p in self.posts if p.slug == slug), None)

    def publish(self, *, kind: str = "gifted", brand: str | None = None, product: str | None = None,
                when: datetime | None = None, key: int | None = None) -> FarmPost:
        """A new post. With `key`, the post is the same whoever publishes it and in whatever order
        (the demo's articles: load_demo and the farm's process each grow it)."""
        unkeyed = sum(p.id < 200000 for p in self.extra_posts)  # keyed posts never shift the others
        seq = f"key:{key}" if key is not None else unkeyed
        rng = random.Random(f"{self.seed}:{self.slug}:extra:{seq}")
        brand_obj = next((b for b in C.BRANDS if b.name == brand), None) or rng.choice(C.BRANDS)
        number = 200000 + key if key is not None else 100000 + unkeyed
        if key is not None and (known := next((p for p in self.extra_posts if p.id == number), None)):
            return known
        post = _make_post(rng, self, number, when or datetime.now(UTC), kind, brand_obj, product)
        self.extra_posts.append(post)
        self._sorted = None
        return post


    def withdraw(self, post: FarmPost) -> None:
        self.extra_posts.remove(post)
        self._sorted = None


def build_catalog(count: int = 60, seed: int = 42, today: date | None = None) -> list[FarmBlog]:
    today = today or date.today()
    rng = random.Random(seed)
    blogs = []
    used: set[str] = set()
    for index in range(count):
        main = C.TOPICS[index % len(C.TOPICS)] if index < len(C.TOPICS) * 2 else rng.choice(C.TOPICS)
        second = rng.choice([t for t in C.TOPICS if t != main])
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = elide(rng.choice(NAME_PATTERNS[main]).format(n=first))
        slug = slugify(name)
        if slug in used:
            slug = f"{slug}-{index}"
        used.add(slug)
        platform = PLATFORMS[index % len(PLATFORMS)]
        old_platform = platform in ("canalblog", "hautetfort")
        charset = "iso-8859-1" if old_platform and rng.random() < 0.5 else "utf-8"
        # One blog in six is a "blogueuse sandwich": almost only sponsored posts.
        sponsored = rng.uniform(0.6, 0.9) if index % 6 == 5 else rng.uniform(0.0, 0.25)
        never = []
        if main != "parentalite" and rng.random() < 0.3:
            never.append("grossesse")
        if rng.random() < 0.2:
            never.append(rng.choice(NEVER_TOPICS[1:]))
        blogs.append(
            FarmBlog(
                index=index, slug=slug, name=name, first_name=first, last_name=last,
                platform=platform, charset=charset, topics=[main, second],
                sponsored_share=round(sponsored, 2), never_topics=never,
                posts_per_month=rng.choice([2, 4, 6, 8, 12]), seed=seed, today=today,
            )
        )
    # A few broken blogs, always the same ones, for the demo and the tests.
    if count >= 20:
        blogs[7].faults.add("gone")
        blogs[13].faults.add("malformed_feed")
        blogs[19].faults.add("wrong_charset")
    return blogs


def _generate_posts(blog: FarmBlog) -> list[FarmPost]:
    rng = random.Random(f"{blog.seed}:{blog.slug}")
    total = max(3, blog.posts_per_month * 4)
    end = datetime.combine(blog.today, time(9, 30), tzinfo=UTC)
    # Exactly round(share × total) sponsored posts, so the ground truth is exact.
    sponsored = set(rng.sample(range(total), k=round(blog.sponsored_share * total)))
    posts = []
    for number in range(total):
        when = end - timedelta(days=120 * number / total, hours=rng.randint(0, 10))
        roll = rng.random()
        if number in sponsored:
            kind = rng.choice(["gifted", "gifted", "sponsored", "giveaway"])
        elif roll < 0.10:
            kind = "passing"
        elif roll < 0.15:
            kind = "trap"
        elif roll < 0.19:
            kind = "self_bought"
        else:
            kind = "unrelated"
        brand = _pick_brand(rng, blog)
        posts.append(_make_post(rng, blog, number + 1, when, kind, brand))
    return posts


def _pick_brand(rng: random.Random, blog: FarmBlog) -> C.Brand:
    fitting = [b for b in C.BRANDS if b.topic in blog.topics]
    return rng.choice(fitting) if fitting and rng.random() < 0.8 else rng.choice(C.BRANDS)


def _make_post(rng, blog: FarmBlog, number: int, when: datetime, kind: str, brand: C.Brand,
               product: str | None = None) -> FarmPost:
    topic = brand.topic if kind in ("gifted", "sponsored", "giveaway", "self_bought", "undisclosed") else (
        blog.topics[0] if rng.random() < 0.7 else blog.topics[1]
    )
    chosen = rng.choice(brand.products)
    product = product if product in brand.products else chosen
    body = C.paragraph(rng, topic, rng.randint(3, 5))
    title = rng.choice(C.TITLES[topic])
    disclosure, deadline = "none", None
    if kind == "gifted":
        title = f"{product} de {brand.name} : mon avis"
        body.insert(0, f"Aujourd'hui je vous parle du {product} de {brand.name}.")
        body.append(f"Le {product} a trouvé sa place dans mon quotidien. {brand.alias}")
        body.append(rng.choice(C.GIFTED).format(brand=brand.name))
        disclosure = "gifted"
    elif kind == "sponsored":
        title = f"{brand.name} : le {product} à l'essai"
        body.insert(0, f"J'ai passé un mois avec le {product} de {brand.name}.")
        body.append(f"Retrouvez toute la gamme sur {brand.domain}.")
        body.append(rng.choice(C.SPONSORED).format(brand=brand.name))
        disclosure = "sponsored"
    elif kind == "giveaway":
        deadline = (when + timedelta(days=14)).date()
        title = f"Concours {brand.name} : {product} à gagner"
        body.insert(0, f"Vous connaissez le {product} de {brand.name} ?")
        body.append(rng.choice(C.GIVEAWAY).format(
            brand=brand.name, product=product, deadline=C.french_date(deadline)))
        body.append(rng.choice(C.GIFTED).format(brand=brand.name))
        disclosure = "gifted"
    elif kind == "undisclosed":  # a product received and reviewed, the gift never said
        title = f"{product} : mon avis"
        body.insert(0, f"Aujourd'hui je vous parle du {product} de {brand.name}.")
        body.append(f"Le {product} a trouvé sa place dans mon quotidien.")
    elif kind == "self_bought":
        title = f"Le {product}, mon achat coup de cœur"
        body.insert(0, f"J'ai craqué pour le {product} de {brand.name}.")
        body.append(rng.choice(C.SELF_BOUGHT))
        disclosure = "self_bought"
    elif kind == "passing":
        body.insert(1, f"Au passage, j'avais un {product} de {brand.name} dans mon sac ce jour-là.")
    elif kind == "trap":
        body.insert(1, rng.choice(C.TRAPS))
    comments = [
        (rng.choice(C.FIRST_NAMES_COMMENTERS), rng.choice(C.COMMENTS))
        for _ in range(rng.randint(0, 6))
    ]
    slug = f"{slugify(title)[:60]}-{number}"
    return FarmPost(
        id=number, slug=slug, title=title, published=when, topic=topic, kind=kind,
        paragraphs=body, comments=comments,
        brand=brand.name if kind != "unrelated" and kind != "trap" else None,
        product=product if kind not in ("unrelated", "trap") else None,
        disclosure=disclosure, giveaway_deadline=deadline,
    )


def etag_for(*parts: str) -> str:
    return '"' + hashlib.blake2b("|".join(parts).encode(), digest_size=10).hexdigest() + '"'
