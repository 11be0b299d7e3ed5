"""From a fetched page (or a plain-text file) to the article's parts that count.

Boilerplate never reaches detection: trafilatura keeps the main text and
drops navigation, sidebars, "article précédent / suivant", related posts
and comments. The links kept are those of the main text only.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import trafilatura
from lxml import etree

from ambassade.lib.clean import clean_text

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


@dataclass
class Article:
    title: str | None
    published: date | None
    paragraphs: list[str]
    links: list[str] = field(default_factory=list)
    comment_count: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode with the declared charset, but never trust it blindly.

    Blogs declare UTF-8 and serve Latin-1, or declare nothing. Strict
    decoding tells: the declared charset, then the page's <meta>, then
    UTF-8, then Windows-1252 (a superset of Latin-1 that never fails).
    """
    # Every page the veille reads passes here: NUL and other control characters go now.
    meta = _CHARSET.search(body[:4096])
    for charset in (declared, meta.group(1).decode("ascii", "ignore") if meta else None, "utf-8"):
        if not charset:
            continue
        try:
            return clean_text(body.decode(charset))
        except (UnicodeDecodeError, LookupError):
            continue
    return clean_text(body.decode("cp1252", errors="replace"))


def extract_html(html: str, url: str | None = None) -> Article:
    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_links=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        favor_precision=True,
    )
    if not xml:
        return Article(title=_html_title(html), published=None, paragraphs=[])
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    paragraphs, links = [], []
    if main is not None:
        for element in main.iter("p", "head", "item", "quote", "cell"):
            text = " ".join("".join(element.itertext()).split())
            if text and not any(child.tag in ("p", "item") for child in element):
                paragraphs.append(text)
        links = [ref.get("target") for ref in main.iter("ref") if ref.get("target")]
    return Article(
        title=root.get("title") or None,
        published=_parse_date(root.get("date")),
        paragraphs=paragraphs,
        links=links,
    )


TITLE_MAX = 120  # characters: a first line longer than this is prose, not a title
_MARKER_LINE = re.compile(r"^[ \t]*<(?:image|img|video|photo)>[ \t]*$", re.M | re.I)
_MONTH = r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)"
_DATE_LINE = re.compile(
    rf"^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s+)?(?:\d{{1,2}}(?:er)?\s+)?{_MONTH}\s*\d{{0,6}}$"
    r"|^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$", re.I)
# What a page saved as text starts with before its title: the platform's and the theme's
# navigation, a cookie notice's button, the date, the category, a picture's file name.
_CHROME_LINE = re.compile(
    r"^(?:menu(?: fermer)?|fermer|ok|accueil|pages|blog|top of page|(?:passer|aller) au contenu(?: principal)?"
    r"|skip to content|s[ée]lectionner une page|rechercher|publicit[ée]|[-–—•]+|canalblog|over-?blog|hautetfort"
    r"|(?:[ée]diter l'article )?suivre ce blog.*|[\w.-]+\.(?:com|fr|net|org|be|ch|ca)|[\w-]*\d[\w-]*_[\w-]*"
    r"|categor(?:y|ies|ie)s?\s*:.*)$", re.I)


def _title_like(line: str) -> bool:
    return 0 < len(line) <= TITLE_MAX and not line.endswith((",", ";", ":")) \
        and (not line.endswith(".") or line.endswith(".."))


def _page_header_off(text: str) -> str:
    """The text from its title on: leading navigation, dates and category lines dropped; after
    navigation, a blog's name followed by a date is the header too (the title comes next)."""
    lines = text.strip().split("\n")
    skipped = 0
    while lines and skipped < 10:
        line = " ".join(lines[0].split())
        following = [" ".join(x.split()) for x in lines[1:6] if x.strip()]
        if not line or _CHROME_LINE.match(line) or (_DATE_LINE.match(line) and len(line) <= 40):
            pass
        elif len(line.split()) == 1 and lines[1:2] == [""] and following and _title_like(following[0]) \
                and len(following) > 1:
            pass  # a category above the title ("Lifestyle", "Matériel")
        elif skipped and len(line) <= 60 and following and _DATE_LINE.match(following[0]) and len(following[0]) <= 40:
            lines = lines[1:]  # the blog's name, then the date
            skipped += 1
            continue
        else:
            break
        lines = lines[1:]
        skipped += 1
    if lines:
        lines[0] = re.sub(r"^You are currently viewing ", "", lines[0])
    return "\n".join(lines)


def extract_text(text: str) -> Article:
    """A plain-text file is the article body; blank lines separate paragraphs.

    Its first line is the title when it is short, does not end a sentence and
    more text follows (what a post saved as text looks like). A saved page's header
    (navigation, date, category) before it is not the post."""
    title = None
    text = _MARKER_LINE.sub("", text)  # "<image>" where a saved post had a picture: not text
    text = _page_header_off(text)
    first, _, rest = text.strip().partition("\n")
    first = " ".join(first.split())
    if rest.strip() and 0 < len(first) <= TITLE_MAX and not first.endswith((",", ";", ":")) \
            and (not first.endswith(".") or first.endswith("..")):
        title, text = first, rest
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return Article(title=title, published=None, paragraphs=paragraphs)


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _html_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return " ".join(match.group(1).split()) if match else None


def extract_fragment(html: str, title: str | None = None, published: date | None = None) -> Article:
    """A feed's full-content HTML is the post body already: paragraphs and links, no boilerplate."""
    from lxml import html as lxml_html

    if not html.strip():
        return Article(title=title, published=published, paragraphs=[])
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return Article(title=title, published=published, paragraphs=[" ".join(re.sub(r"<[^>]+>", " ", html).split())])
    paragraphs, links = _body_parts(root)
    return Article(title=title, published=published, paragraphs=paragraphs, links=links)


# Where each platform puts the post's body. Reading that container directly is
# about ten times faster than general extraction, and leaves menus, sidebars and
# comments out just the same; anything unexpected falls back to trafilatura.
PLATFORM_BODIES = {
    "wordpress": "entry-content",
    "blogger": "post-body",
    "overblog": "ob-section-text",
    "canalblog": "articlebody",
    "hautetfort": "posttext",
}


def extract_known_platform(html: str, platform: str) -> Article | None:
    from lxml import html as lxml_html

    marker = PLATFORM_BODIES.get(platform)
    if not marker or marker not in html:
        return None
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    containers = root.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {marker} ")]')
    if not containers:
        return None
    paragraphs, links = _body_parts(containers[0])
    if not paragraphs:
        return None
    title = _post_title(root) or _html_title(html)
    published = None
    for value in root.xpath("//time/@datetime")[:1]:
        published = _parse_date(value)
    return Article(title=title or None, published=published, paragraphs=paragraphs, links=links)


def extract_page(html: str, platform: str = "", url: str | None = None) -> Article:
    """A blog page as the crawler reads it: the platform's post container, else trafilatura."""
    return extract_known_platform(html, platform) or extract_html(html, url=url)


# The post's own title (never the blog's "site-title"), by the platforms' usual classes.
_TITLE_CLASSES = ("entry-title", "post-title", "posttitle", "articletitle", "article-title")


def _post_title(root) -> str | None:
    for name in _TITLE_CLASSES:
        found = root.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')
        if found:
            return " ".join(found[0].text_content().split()) or None
    og = root.xpath('//meta[@property="og:title"]/@content')
    return og[0].strip() if og else None


def _body_parts(element) -> tuple[list[str], list[str]]:
    """A post body's paragraphs (blocks, whitespace folded) and the links it holds."""
    blocks = element.xpath(".//p|.//li|.//h2|.//h3|.//blockquote") or [element]
    paragraphs = [text for text in (" ".join(b.text_content().split()) for b in blocks) if text]
    links = [a.get("href") for a in element.iter("a") if a.get("href")]
    return paragraphs, links
