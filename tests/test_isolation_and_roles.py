"""Per-organisation isolation on every view, and what each role may do."""

import pytest
from django.urls import reverse

from ambassade.campaigns.status import Status

pytestmark = pytest.mark.django_db


def object_urls(w):
    return [
        reverse("operation_detail", args=[w.operation.pk]),
        reverse("placement_detail", args=[w.placement.pk]),
        reverse("blog_detail", args=[w.blog.pk]),
        reverse("blogger_detail", args=[w.blogger.pk]),
        reverse("product_detail", args=[w.product.pk]),
    ]


def test_it_shows_a_404_never_data_to_another_organisation(client, world):
    client.force_login(world.outsider)
    for url in object_urls(world):
        response = client.get(url)
        assert response.status_code == 404, url
    for url in (reverse("placement_move", args=[world.placement.pk]),
                reverse("placement_add", args=[world.operation.pk])):
        assert client.post(url, {"status": Status.SHORTLISTED, "blog": world.blog.pk}).status_code == 404
    world.placement.refresh_from_db()
    assert world.placement.status == Status.CANDIDATE


def test_it_lists_nothing_of_another_organisation(client, world):
    client.force_login(world.outsider)
    for name in ("dashboard", "operation_list", "blog_list", "blogger_list", "product_list"):
        body = client.get(reverse(name)).content.decode()
        for secret in ("Goûters", "La cuisine de Léa", "Léa", "Brassé Vanille"):
            assert secret not in body, (name, secret)


def test_it_shows_its_own_organisation_the_data(client, world):
    client.force_login(world.member)
    for url in object_urls(world):
        assert client.get(url).status_code == 200, url
    assert "La cuisine de Léa" in client.get(reverse("blog_list")).content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    for url in [reverse("dashboard"), *object_urls(world)]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_lets_a_client_viewer_read_but_never_change(client, world):
    client.force_login(world.viewer)
    # The board is the agency's workbench: a client reads its operation's report instead.
    response = client.get(reverse("operation_detail", args=[world.operation.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("operation_report", args=[world.operation.pk])
    assert client.get(response["Location"]).status_code == 200
    refused = [
        (reverse("placement_move", args=[world.placement.pk]), {"status": Status.SHORTLISTED}),
        (reverse("placement_add", args=[world.operation.pk]), {"blog": world.blog.pk}),
        (reverse("operation_create"), {"name": "x", "brand": "y", "client": world.client.pk}),
        (reverse("product_detail", args=[world.product.pk]), {"quantity": 3}),
        (reverse("import_start"), {}),
    ]
    for url, data in refused:
        assert client.post(url, data).status_code == 403, url
    world.placement.refresh_from_db()
    assert world.placement.status == Status.CANDIDATE
    assert world.product.stock == 5
    body = client.get(reverse("operation_report", args=[world.operation.pk])).content.decode()
    assert "Déplacer" not in body


def test_it_shows_a_client_viewer_only_their_own_client(client, world):
    client.force_login(world.viewer)
    assert client.get(reverse("operation_detail", args=[world.other_operation.pk])).status_code == 404
    assert "Hydra" not in client.get(reverse("operation_list")).content.decode()
    # The agency's address book is not the client's business.
    assert client.get(reverse("blog_list")).status_code == 403
    assert client.get(reverse("blogger_detail", args=[world.blogger.pk])).status_code == 403


def test_it_refuses_a_post_without_csrf_token(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.member)
    response = browser.post(reverse("placement_move", args=[world.placement.pk]), {"status": Status.SHORTLISTED})
    assert response.status_code == 403
    world.placement.refresh_from_db()
    assert world.placement.status == Status.CANDIDATE


def test_it_speaks_french_by_default_and_english_on_request(client, world):
    client.force_login(world.member)
    assert "Ce qui a besoin de vous" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("dashboard")).content.decode()
    assert "What needs you" in body and "Running operations" in body


def test_every_id_route_gives_another_organisation_a_404(client, world):
    """Generated from the URL patterns: every route that takes an id, with every id of organisation A's
    objects, read by organisation B's owner, answers 404 — never data, never a redirect into it."""
    from ambassade.outreach.models import Message
    from ambassade.watch.models import Coverage, Post

    post = Post.objects.create(blog=world.blog, guid="g", url="https://cuisine-de-lea.example/g", title="Goûter")
    Coverage.objects.create(post=post, operation=world.operation, placement=world.placement)
    Message.objects.create(placement=world.placement, organisation=world.org_a, subject="x", body_text="y",
                           to_address="lea@cuisine-de-lea.example")
    from .test_trust import _id_urls

    urls = [f"/{u}" for u in _id_urls()]
    assert len(urls) >= 25
    client.force_login(world.outsider)
    for url in urls:
        for method in (client.get, client.post):
            status = method(url).status_code
            assert status == 404, (method.__name__, url, status)
