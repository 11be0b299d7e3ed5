"""Row 6 of issue 13: no article is fetched inside a web request. "Add an article" and the
blogger's "declare the article" queue a task; the page polls a small status endpoint (htmx)
until the worker's result lands. A crash in a native library can then only take down a
worker, which is restarted, never the web server.

The task backend here is the real database queue, run by the real worker command after the
request has returned; the HTTP client raises if anything calls it during the request.
"""

import html

import pytest
from django.core.management import call_command
from django.urls import reverse

from ambassade.blogs.personal_links import page_token
from ambassade.campaigns.status import Status
from ambassade.farm.render import post_path
from ambassade.farm.server import FarmThread
from ambassade.lib import http as http_client
from ambassade.logistics import ledger
from ambassade.watch import manual
from ambassade.watch.models import Coverage
from ambassade.workflow import articles

from .test_outreach_mail import shortlisted, yogurt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.FARM_ALLOWED = True
    settings.WATCH_HOST_DELAY = 0.0


@pytest.fixture
def farm_article(world):
    with FarmThread(count=12, seed=3) as farm:
        farm_blog = next(b for b in farm.farm.blogs.values() if not b.faults)
        post = farm_blog.publish(kind="gifted", brand="Laiterie Delacour", product="Brassé Vanille")
        yield farm, farm_blog, farm.url(farm_blog) + post_path(farm_blog, post)


class FetchInRequest(AssertionError):
    pass


@pytest.fixture
def no_fetch_in_request(monkeypatch):
    """fetch_one raises while a request is handled; the worker gets the real one back."""
    real = manual.fetch_one

    def forbidden(*args, **kwargs):
        raise FetchInRequest("an article was fetched inside the web request")

    monkeypatch.setattr(manual, "fetch_one", forbidden)
    monkeypatch.setattr(http_client, "fetch_one", forbidden)
    return lambda: (monkeypatch.setattr(manual, "fetch_one", real), monkeypatch.setattr(http_client, "fetch_one", real))


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


def test_row6_the_cm_adds_an_article_without_a_fetch_in_the_request(client, world, queued_tasks, farm_article,
                                                                      no_fetch_in_request):
    farm, farm_blog, url = farm_article
    from ambassade.blogs.models import Blog

    Blog.objects.create(organisation=world.org_a, url=farm.url(farm_blog) + "/", name=farm_blog.name)
    operation = yogurt(world)
    client.force_login(world.member)
    answer = client.post(reverse("article_add", args=[operation.pk]), {"url": url}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    waiting = answer.content.decode()
    assert "<progress" in waiting and "hx-trigger=\"every 1s\"" in waiting  # the page polls, with an indicator
    status_url = reverse("article_status", args=[waiting.split("/articles/demande/")[1].split("/")[0]])
    assert "<progress" in client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert not Coverage.objects.exists()

    no_fetch_in_request()  # the worker may fetch
    run_worker()

    done = html.unescape(client.get(status_url, HTTP_HX_REQUEST="true").content.decode())
    assert "<progress" not in done and "hx-get" not in done
    assert "Article ajouté" in done
    assert Coverage.objects.filter(operation=operation).exists()
    # Another organisation cannot read where this request stands.
    client.force_login(world.outsider)
    assert client.get(status_url).status_code == 404


def test_row6_the_blogger_declares_an_article_without_a_fetch_in_the_request(client, world, queued_tasks,
                                                                              farm_article, no_fetch_in_request):
    farm, farm_blog, url = farm_article
    operation = yogurt(world)
    [placement] = shortlisted(world, operation, ["Lea"])
    ledger.move(placement, Status.PITCHED)
    ledger.move(placement, Status.ACCEPTED)
    blog = placement.blog
    blog.url = farm.url(farm_blog) + "/"
    blog.save()
    blogger = blog.bloggers.get()
    token = page_token(blogger)
    answer = client.post(reverse("portal_article", args=[token, placement.pk]), {"url": url})
    assert answer.status_code == 302
    status_url = answer["Location"]
    waiting = client.get(status_url).content.decode()
    assert "<progress" in waiting and "htmx.min.js" in waiting

    no_fetch_in_request()
    run_worker()

    done = html.unescape(client.get(status_url, HTTP_HX_REQUEST="true").content.decode())
    assert "Votre article est enregistré" in done and "hx-get" not in done
    assert Coverage.objects.filter(operation=operation, post__url=url).exists()
    # Someone else's page cannot follow this request.
    other = shortlisted(world, operation, ["Julie"])[0].blog.bloggers.get()
    assert client.get(status_url.replace(token, page_token(other))).status_code == 404


def test_a_crash_in_the_worker_is_said_on_the_page(client, world, settings, monkeypatch):
    """Whatever goes wrong in the task, the waiting page hears back instead of spinning forever."""
    from ambassade.blogs.models import Blog

    Blog.objects.create(organisation=world.org_a, url="https://lea.example/", name="Léa")
    operation = yogurt(world)

    def boom(*args, **kwargs):
        raise RuntimeError("native library crashed")

    monkeypatch.setattr(articles, "add_article", boom)  # what the task calls
    client.force_login(world.member)
    answer = client.post(reverse("article_add", args=[operation.pk]), {"url": "https://lea.example/billet"},
                         follow=True)
    assert "n'a pas pu être analysé" in html.unescape(answer.content.decode())
