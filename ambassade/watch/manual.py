"""An article added by its URL: the same fetch (SSRF-safe) and analysis as the crawler's."""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model

from ambassade.campaigns.models import ActorKind, Operation
from ambassade.lib.http import FetchError, fetch_one
from ambassade.lib.text import InvalidURL, normalize_blog_url

from .coverage import publish_placement, record_coverage
from .detect.analyze import analyze, lexicon_for
from .detect.extract import decode_html, extract_html
from .models import Coverage, CoverageStatus, Post


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


def add_article(operation_id: int, url: str, user_id: int | None, *, source: str = "manual") -> dict:
    operation = Operation.objects.select_related("organisation").get(pk=operation_id)
    blog = blog_for_url(operation.organisation, url)
    if blog is None:
        return {"error": "Ce blog n'est pas dans votre base : importez-le d'abord."}
    try:
        result = fetch_one(url)
    except FetchError as error:
        return {"error": f"Impossible de lire l'article : {error}"}
    article = extract_html(decode_html(result.body, result.charset), url=result.url)
    verdict = analyze(article, lexicon_for(operation.brand, operation.product_names, operation.aliases,
                                           operation.brand_domains)).as_json()
    post, _ = Post.objects.get_or_create(
        blog=blog, guid=url[:500],
        defaults={"url": url[:500], "title": (article.title or "")[:500], "excerpt": article.text[:500],
                  "text": article.text, "disclosure": verdict["disclosure"]["label"],
                  "giveaway": verdict["giveaway"]["present"]},
    )
    coverage = record_coverage(post, operation, verdict, source=source) or Coverage.objects.get(
        post=post, operation=operation)
    # A person vouched for this article: it is confirmed, and it publishes the placement.
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    coverage.status, coverage.reviewed_by = CoverageStatus.CONFIRMED, user
    coverage.save(update_fields=["status", "reviewed_by"])
    if coverage.placement:
        actor = ActorKind.BLOGGER if source == "declared" else ActorKind.PERSON
        publish_placement(coverage.placement, url, actor=actor, user=user,
                          reason="article déclaré" if source == "declared" else "")
    return {"coverage": coverage.pk, "is_coverage": verdict["is_coverage"]}
