"""NUL bytes through every text entry path (issue 13): forms (agency and blogger), imports,
fetched pages. PostgreSQL refuses NUL in text, so on PostgreSQL each of these used to be a
500 or a failed batch; the feed and mail paths are in test_hostile_veille/_mail.

Every path is asserted on both databases: what is stored holds no NUL, and nothing else
the person typed is lost."""

import io
import ipaddress

import pytest
from django.urls import reverse

from ambassade.blogs.models import Blog, Blogger
from ambassade.blogs.personal_links import page_token
from ambassade.campaigns.status import Status
from ambassade.imports.models import ImportJob, ImportStatus
from ambassade.logistics import ledger
from ambassade.outreach.models import Message, Template
from ambassade.watch.models import Post
from ambassade.workflow.articles import add_article

from .static_server import StaticServer
from .test_outreach_mail import shortlisted, yogurt

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_import_with_nul_bytes_is_stored_clean(client, world):
    client.force_login(world.member)
    upload = io.BytesIO(b"url;nom_du_blog;email\nhttps://nul\x00.example/;Le blog\x00 de Nina;nina@nul.example\n"
)
    upload.name = "blogs.csv"
    assert client.post(reverse("import_start"), {"file": upload}).status_code == 302
    job = ImportJob.objects.get()
    client.post(reverse("import_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Blog.objects.get(url_key="nul.example").name == "Le blog de Nina"


def test_the_bloggers_forms_drop_nul_bytes(client, world):
    operation = yogurt(world)
    [placement] = shortlisted(world, operation, ["Lea"])
    ledger.move(placement, Status.PITCHED)
    blogger = Blogger.objects.get(blog=placement.blog)
    token = page_token(blogger)
    client.post(reverse("portal_preferences", args=[token]),
                {"topics_never": "alcool\x00, tabac", "cadence": blogger.cadence, "postal_address": "3 rue\x00 Haute"})
    blogger.refresh_from_db()
    assert blogger.topics_never == ["alcool", "tabac"] and blogger.postal_address == "3 rue Haute"
    client.post(reverse("portal_proposal", args=[token, placement.pk]), {"decision": "", "text": "Une\x00 question ?"})
    assert Message.objects.filter(body_text__contains="Une question ?").exists()


def test_the_agencys_forms_drop_nul_bytes(client, world):
    operation = yogurt(world)
    client.force_login(world.member)
    client.post(reverse("template_edit", args=[operation.pk, "pitch"]),
                {"subject": "Bonjour\x00 {{ prenom }}", "body_text": "Un mot\x00 pour {{ prenom }}"})
    template = Template.objects.get(operation=operation, kind="pitch")
    assert (template.subject, template.body_text) == ("Bonjour {{ prenom }}", "Un mot pour {{ prenom }}")
    assert client.get(reverse("blogger_list"), {"q": "L\x00éa"}).status_code == 200


def test_a_fetched_page_with_nul_bytes_is_stored_clean(world, settings):
    settings.FETCH_ALLOW_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    page = ("<html><head><title>Go\x00ûter</title></head><body><article><h1>Go\x00ûter</h1>"
            + "<p>Le Brassé Vanille\x00 de la Laiterie Delacour, un goûter parfait pour les enfants.</p>" * 5
            + "</article></body></html>").encode()
    with StaticServer({"/billet": ("text/html; charset=utf-8", page)}) as server:
        world.blog.url = server.root + "/"
        world.blog.save()
        result = add_article(world.operation.pk, server.root + "/billet", world.member.pk)
    assert "error" not in result, result
    post = Post.objects.get(blog=world.blog)
    assert "\x00" not in post.text + post.title and "Brassé Vanille de la Laiterie" in post.text
