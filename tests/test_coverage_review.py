"""The CM's side of the veille: review detections, add an article by URL, the daily digest."""

import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ambassade.blogs.models import Blog
from ambassade.campaigns.models import Operation, OperationStatus, Placement
from ambassade.campaigns.status import Status
from ambassade.farm.render import post_path
from ambassade.farm.server import FarmThread
from ambassade.logistics import ledger
from ambassade.watch.digest import send_digests
from ambassade.watch.models import Coverage, CoverageStatus, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def detected(world):
    post = Post.objects.create(blog=world.blog, guid="g1", url="https://cuisine-de-lea.example/brasse",
                               title="Mon Brassé Vanille", text="…")
    for step in (Status.SHORTLISTED, Status.PITCHED):
        ledger.move(world.placement, step)
    return Coverage.objects.create(post=post, operation=world.operation, placement=world.placement,
                                   about_product=False, disclosure="gifted", disclosure_cue="Produit offert",
                                   mentions=[{"term": "Delacour", "kind": "brand", "count": 2, "snippet": "…le Brassé…"}])


def test_it_shows_detections_with_their_evidence_and_lets_the_cm_confirm(client, world, detected):
    client.force_login(world.member)
    page = html.unescape(client.get(reverse("dashboard")).content.decode())
    assert "Mon Brassé Vanille" in page and "Produit offert" in page
    client.post(reverse("coverage_review", args=[detected.pk]), {"action": "confirm", "next": "/"})
    detected.refresh_from_db()
    assert detected.status == CoverageStatus.CONFIRMED and detected.reviewed_by == world.member
    world.placement.refresh_from_db()
    assert world.placement.status == Status.PUBLISHED
    assert world.placement.events.last().user == world.member


def test_a_rejected_detection_changes_nothing_else(client, world, detected):
    client.force_login(world.member)
    client.post(reverse("coverage_review", args=[detected.pk]), {"action": "reject", "next": "//evil.example"})
    detected.refresh_from_db()
    world.placement.refresh_from_db()
    assert detected.status == CoverageStatus.REJECTED and world.placement.status == Status.PITCHED
    assert "Mon Brassé Vanille" not in client.get(reverse("operation_detail", args=[world.operation.pk])).content.decode()


def test_review_is_scoped_and_read_only_for_clients(client, world, detected):
    client.force_login(world.outsider)
    assert client.post(reverse("coverage_review", args=[detected.pk]), {"action": "confirm"}).status_code == 404
    assert client.post(reverse("article_add", args=[world.operation.pk]), {"url": "https://x.example/"}).status_code == 404
    client.force_login(world.viewer)
    assert client.post(reverse("coverage_review", args=[detected.pk]), {"action": "confirm"}).status_code == 403
    detected.refresh_from_db()
    assert detected.status == CoverageStatus.DETECTED


@pytest.mark.django_db(transaction=True)
def test_the_cm_adds_an_article_by_url_and_it_is_analysed(client, world, settings):
    settings.FARM_ALLOWED = True
    with FarmThread(count=20, seed=3) as farm:
        farm_blog = next(b for b in farm.farm.blogs.values() if not b.faults)
        post = farm_blog.publish(kind="giveaway", brand="Laiterie Delacour", product="Brassé Vanille")
        blog = Blog.objects.create(organisation=world.org_a, url=farm.url(farm_blog) + "/", name=farm_blog.name)
        operation = Operation.objects.create(organisation=world.org_a, client=world.client, name="Goûters",
                                             brand="Laiterie Delacour", product_names=["Brassé Vanille"],
                                             status=OperationStatus.RUNNING, starts_on=timezone.localdate())
        placement = Placement.objects.create(operation=operation, blog=blog)
        client.force_login(world.member)
        url = farm.url(farm_blog) + post_path(farm_blog, post)
        client.post(reverse("article_add", args=[operation.pk]), {"url": url})
        coverage = Coverage.objects.get(operation=operation)
        assert coverage.giveaway and coverage.giveaway_deadline and coverage.status == CoverageStatus.CONFIRMED
        placement.refresh_from_db()
        assert placement.status == Status.CANDIDATE  # a candidate cannot jump to published: the article is kept
        outside = client.post(reverse("article_add", args=[operation.pk]), {"url": "https://inconnu.example/billet"},
                              follow=True)
        assert "pas dans votre base" in html.unescape(outside.content.decode())
        missing = client.post(reverse("article_add", args=[operation.pk]),
                              {"url": farm.url(farm_blog) + "/2026/01/01/billet-disparu/"}, follow=True)
        assert "Impossible de lire l'article : HTTP 404" in html.unescape(missing.content.decode())
        assert Coverage.objects.filter(operation=operation).count() == 1


def test_the_daily_digest_lists_new_articles_once(world, detected):
    world.org_a.name = "Plume & Pixel d'Or"
    world.org_a.save()
    result = send_digests()
    assert result["mails"] == 1
    message = mail.outbox[0]
    assert "Mon Brassé Vanille" in message.body and "produit offert" in message.body
    assert "pour Plume & Pixel d'Or" in message.body  # a text mail: nothing HTML-escaped
    assert set(message.to) >= {world.owner.email, world.member.email}
    assert world.viewer.email not in message.to
    assert send_digests()["mails"] == 0


def test_post_texts_are_cleared_after_the_retention_but_excerpts_stay(world, settings):
    from datetime import timedelta

    from ambassade.watch.retention import purge_old_texts

    settings.WATCH_TEXT_RETENTION_DAYS = 30
    old = Post.objects.create(blog=world.blog, guid="old", url="https://cuisine-de-lea.example/old",
                              text="Texte complet", excerpt="Texte", found_at=timezone.now() - timedelta(days=31))
    recent = Post.objects.create(blog=world.blog, guid="new", url="https://cuisine-de-lea.example/new",
                                 text="Texte complet", excerpt="Texte")
    assert purge_old_texts() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.text == "" and old.excerpt == "Texte" and recent.text == "Texte complet"


def test_the_blog_page_shows_what_the_veille_knows(client, world):
    from ambassade.watch.models import Feed

    Feed.objects.create(blog=world.blog, url="https://cuisine-de-lea.example/feed/", kind="rss",
                        last_error="HTTP 503", error_count=2, last_checked_at=timezone.now())
    Post.objects.create(blog=world.blog, guid="p", url="https://cuisine-de-lea.example/p", title="Ma tarte <b>",
                        disclosure="gifted", giveaway=True)
    client.force_login(world.member)
    page = client.get(reverse("blog_detail", args=[world.blog.pk])).content.decode()
    assert "HTTP 503" in page and "Ma tarte &lt;b&gt;" in page and "offert" in page


def test_review_never_redirects_to_another_site(client, world, detected):
    client.force_login(world.member)
    for data in ({"action": "confirm", "next": "https://evil.example/"}, {"action": "?", "next": "//evil.example"}):
        response = client.post(reverse("coverage_review", args=[detected.pk]), data)
        assert response.status_code == 302 and response["Location"] == reverse("dashboard")
