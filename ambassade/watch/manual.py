"""An article added by its URL: the same fetch (SSRF-safe) and analysis as the crawler's.

Two doors, one analysis. The CM who adds an article vouches for it; a blogger who declares
one is taken at their word only where the page says so: the article goes through the same
verdict as a detected one, and when the brand is only around the post (a sidebar "Mes
partenaires"), named without the product, or the page cannot be read, the coverage waits for
the CM with that reason. What follows for the placement and its mails (confirmed by the CM,
published, reminders stopped) is `ambassade.workflow.articles.add_article`.
"""

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from ambassade.campaigns.models import Operation
from ambassade.lib.folding import fold
from ambassade.lib.http import FetchError, fetch_one
from ambassade.lib.text import InvalidURL, normalize_blog_url

from .coverage import ONLY_AROUND, UNREADABLE, evidence_gap, record_coverage
from .detect.analyze import analyze, lexicon_for
from .detect.extract import decode_html, extract_html
from .models import Coverage, Post


def blog_for_url(organisation, url: str):
    """The organisation's blog this article belongs to: the longest blog URL that prefixes it."""
    from ambassade.blogs.models import Blog

    try:
        key = normalize_blog_url(url)
    except InvalidURL:
        return None
    host = urlsplit("http://" + key).netloc
    candidates = Blog.objects.filter(organisation=organisation, url_key__startswith=host)
    matching = [b for b in candidates if key == b.url_key or key.startswith(b.url_key.rstrip("/") + "/")]
    return max(matching, key=lambda b: len(b.url_key), default=None)


def _named_on_page(html: str, lexicon) -> bool:
    """Whether the whole page (menus and sidebars included) names one of the terms."""
    try:
        text = " ".join(lxml_html.fromstring(html).itertext())  # "<li>A</li><li>B</li>" is two words
    except (ValueError, etree.ParserError):
        text = re.sub(r"<[^>]+>", " ", html)
    return bool(lexicon.find(fold(text)))


def read_article(operation_id: int, url: str, *, source: str = "manual") -> dict:
    """Fetch, analyse and record: {"coverage": id, "is_coverage", "waiting"} or {"error": …}."""
    operation = Operation.objects.select_related("organisation").get(pk=operation_id)
    blog = blog_for_url(operation.organisation, url)
    if blog is None:
        return {"error": "Ce blog n'est pas dans votre base : importez-le d'abord."}
    declared = source == "declared"
    lexicon = lexicon_for(operation.brand, operation.product_names, operation.aliases, operation.brand_domains)
    try:
        result = fetch_one(url)
    except FetchError as error:
        if not declared:
            return {"error": f"Impossible de lire l'article : {error}"}
        # The blogger's word is kept; the CM opens the page by hand.
        post, _ = Post.objects.get_or_create(blog=blog, guid=url[:500], defaults={"url": url[:500]})
        verdict = {"subject": False, "mentions": [], "disclosure": {"label": "none", "cue": ""},
                   "giveaway": {"present": False, "cue": "", "deadline": None}}
        record_coverage(post, operation, verdict, source=source, gap=UNREADABLE.format(error=error)[:300])
        return {"coverage": Coverage.objects.get(post=post, operation=operation).pk, "is_coverage": False,
                "waiting": UNREADABLE.format(error=error)}
    html = decode_html(result.body, result.charset)
    article = extract_html(html, url=result.url)
    verdict = analyze(article, lexicon).as_json()
    post, _ = Post.objects.get_or_create(
        blog=blog, guid=url[:500],
        defaults={"url": url[:500], "title": (article.title or "")[:500], "excerpt": article.text[:500],
                  "text": article.text, "disclosure": verdict["disclosure"]["label"],
                  "giveaway": verdict["giveaway"]["present"]},
    )
    gap = evidence_gap(operation, verdict)
    if gap and not verdict["mentions"] and _named_on_page(html, lexicon):
        gap = ONLY_AROUND
    record_coverage(post, operation, verdict, source=source, gap=gap)
    coverage = Coverage.objects.get(post=post, operation=operation)
    return {"coverage": coverage.pk, "is_coverage": verdict["is_coverage"], "waiting": coverage.review_reason}
