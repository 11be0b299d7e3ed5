"""Profiles kept up to date with the posts the veille stores.

Incremental: a blog whose posts all have ids at or below its profile's
`posts_seen_until` is not touched; for the others, only the new posts are
folded into the decayed sums, and the 90-day counts are recounted from that
blog's last 90 days of posts (a few dozen rows).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from ambassade.blogs.models import Blog
from ambassade.watch.models import Post

from .models import BlogProfile
from .profile import WINDOW_DAYS, PostFacts, fold, window_stats

_FIELDS = ("published_at", "found_at", "title", "text", "excerpt", "topics", "disclosure", "giveaway",
           "comment_count")


def stale_blog_ids(organisation_id: int | None = None) -> list[int]:
    """Blogs with posts their profile has not seen (or no profile yet)."""
    newest = Post.objects.filter(blog=OuterRef("pk")).order_by("-id").values("id")[:1]
    blogs = Blog.objects.annotate(newest_post=Subquery(newest)).filter(newest_post__isnull=False)
    if organisation_id is not None:
        blogs = blogs.filter(organisation_id=organisation_id)
    blogs = blogs.filter(Q(profile__isnull=True) | Q(newest_post__gt=F("profile__posts_seen_until")))
    return list(blogs.values_list("id", flat=True))


def refresh_profiles(blog_ids: list[int] | None = None, *, now=None, progress=lambda n: None) -> int:
    """Fold new posts into the profiles of `blog_ids` (default: every stale blog). Returns how many changed."""
    now = now or timezone.now()
    ids = stale_blog_ids() if blog_ids is None else blog_ids
    for blog_id in ids:
        refresh_one(blog_id, now=now)
        progress(1)
    return len(ids)


def _facts(post: Post) -> PostFacts:
    return PostFacts(
        published_at=post.published_at or post.found_at, title=post.title, text=post.text or post.excerpt,
        topics=post.topics or [], disclosure=post.disclosure or "none", giveaway=post.giveaway,
        comment_count=post.comment_count,
    )


@transaction.atomic
def refresh_one(blog_id: int, *, now=None) -> BlogProfile:
    now = now or timezone.now()
    profile, _ = BlogProfile.objects.select_for_update().get_or_create(blog_id=blog_id)
    new = [_facts(p) for p in Post.objects.filter(blog_id=blog_id, id__gt=profile.posts_seen_until).only(*_FIELDS)]
    if new:
        decayed = fold(profile.decayed, new, now)
        profile.terms, profile.words, profile.terms_length = decayed.terms, decayed.words, decayed.length
        profile.topic_mass, profile.languages, profile.decayed_at = decayed.topic_mass, decayed.languages, now
        profile.language = decayed.language
        profile.posts_seen_until = Post.objects.filter(blog_id=blog_id).aggregate(m=Max("id"))["m"] or 0
    _recount(profile, now)
    profile.save()
    return profile


def _recount(profile: BlogProfile, now) -> None:
    since = now - timedelta(days=WINDOW_DAYS)
    posts = Post.objects.filter(blog_id=profile.blog_id)
    recent = [_facts(p) for p in posts.filter(Q(published_at__gte=since) | Q(published_at__isnull=True, found_at__gte=since))
              .only("published_at", "found_at", "disclosure", "giveaway", "comment_count")]
    last = posts.aggregate(m=Max("published_at"))["m"]
    stats = window_stats(recent, now, last_post_at=last)
    profile.posts_90d, profile.gifted_90d, profile.sponsored_90d = stats.posts, stats.gifted, stats.sponsored
    profile.giveaways_90d, profile.posts_per_month = stats.giveaways, stats.posts_per_month
    profile.last_post_at, profile.comments_per_post = stats.last_post_at, stats.comments_per_post


def recount_all(*, now=None) -> int:
    """The 90-day counts slide with time even without new posts: recounted once a day."""
    now = now or timezone.now()
    count = 0
    for profile in BlogProfile.objects.iterator(chunk_size=500):
        _recount(profile, now)
        profile.save(update_fields=["posts_90d", "gifted_90d", "sponsored_90d", "giveaways_90d", "posts_per_month",
                                    "last_post_at", "comments_per_post", "updated_at"])
        count += 1
    return count
