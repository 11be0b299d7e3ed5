"""The blogger's side: a personal link in every mail, a page that shows only that person, one-time
tokens for sensitive actions, rate limiting, and GDPR (export, erasure, suppression, retention, audit)."""

import io
import json
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ambassade.blogs.models import AccessLog, Blogger, BloggerEmail, Suppression
from ambassade.blogs.personal_links import action_token, blogger_for, page_token
from ambassade.campaigns.models import Operation
from ambassade.campaigns.status import Status
from ambassade.farm.demo_data import load_demo
from ambassade.imports.plan import build_plan
from ambassade.imports.readers import read_rows
from ambassade.logistics import ledger
from ambassade.logistics.models import Supply
from ambassade.outreach.models import Message, MessageStatus
from ambassade.reports.data import operation_report

from .conftest import as_sent
from .test_outreach_mail import shortlisted, yogurt


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def link(blogger):
    return reverse("portal", args=[page_token(blogger)])


@pytest.fixture
def people(world):
    operation = yogurt(world)
    Supply.objects.create(operation=operation, product=world.product)
    lea, julie = shortlisted(world, operation, ["Lea", "Julie"])
    for p in (lea, julie):
        ledger.move(p, Status.PITCHED)
    return lea, julie


def test_a_personal_link_shows_that_person_only_and_lets_them_answer(client, world, people):
    lea, julie = people
    lea_blogger = lea.blog.bloggers.get()
    page = client.get(link(lea_blogger)).content.decode()
    assert "Bonjour Lea" in page and "Blog de Lea" in page and "Julie" not in page
    client.post(reverse("portal_proposal", args=[page_token(lea_blogger), lea.pk]), {"decision": "accepted"})
    lea.refresh_from_db()
    assert lea.status == Status.ACCEPTED and lea.events.last().actor == "blogger"
    # Lea's link cannot act on Julie's proposal, nor on another organisation's.
    response = client.post(reverse("portal_proposal", args=[page_token(lea_blogger), julie.pk]),
                           {"decision": "declined"})
    assert response.status_code == 404
    julie.refresh_from_db()
    assert julie.status == Status.PITCHED
    client.post(reverse("portal_proposal", args=[page_token(julie.blog.bloggers.get()), julie.pk]),
                {"decision": "", "text": "Existe-t-il une version sans lactose ?"})
    question = Message.objects.to_answer().get()
    assert question.placement == julie and "sans lactose" in question.body_text
    assert Blogger.objects.get(pk=lea_blogger.pk).last_heard_at is not None


def test_tampered_expired_and_outdated_links_are_refused(client, world, people, monkeypatch):
    blogger = people[0].blog.bloggers.get()
    token = page_token(blogger)
    assert client.get(reverse("portal", args=[token[:-3] + "abc"])).status_code == 404
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 61 * 24 * 3600)
    old = page_token(blogger)
    monkeypatch.setattr(signing.time, "time", real_time)
    assert blogger_for(old) is None and client.get(reverse("portal", args=[old])).status_code == 404
    Blogger.objects.filter(pk=blogger.pk).update(link_version=blogger.link_version + 1)
    assert client.get(reverse("portal", args=[token])).status_code == 404  # rotated out


def test_a_one_time_token_works_once_and_only_for_its_purpose_and_person(client, world, people):
    lea_blogger, julie_blogger = (p.blog.bloggers.get() for p in people)
    url = reverse("portal_sensitive", args=[page_token(lea_blogger), "export"])
    token = action_token(lea_blogger, "export")
    first = client.post(url, {"action_token": token})
    assert first.status_code == 200 and json.loads(first.content)["person"]["first_name"] == "Lea"
    assert client.post(url, {"action_token": token}).status_code == 403  # reused
    assert client.post(url, {"action_token": action_token(lea_blogger, "erase")}).status_code == 403  # purpose
    assert client.post(url, {"action_token": action_token(julie_blogger, "export")}).status_code == 403  # person
    assert AccessLog.objects.filter(blogger=lea_blogger, action="export", by_blogger=True).count() == 1


def test_brute_force_on_links_is_rate_limited(client, world, people):
    statuses = [client.get(reverse("portal", args=[f"guess{i}"])).status_code for i in range(25)]
    assert statuses[:20] == [404] * 20 and statuses[-1] == 429
    # Even a valid link is refused from that address for a while.
    assert client.get(link(people[0].blog.bloggers.get())).status_code == 429


def test_preferences_reach_the_cm_and_the_targeting_filters(client, world, people):
    lea = people[0]
    blogger = lea.blog.bloggers.get()
    client.post(reverse("portal_preferences", args=[page_token(blogger)]),
                {"topics_wanted": ["cuisine"], "topics_never": "grossesse, peaux sèches", "cadence": "monthly",
                 "giveaways_ok": "", "postal_address": "3 rue des Lilas\n69001 Lyon"})
    blogger.refresh_from_db()
    assert blogger.topics_never == ["grossesse", "peaux sèches"] and blogger.cadence == "monthly"
    assert not blogger.giveaways_ok and blogger.postal_address.startswith("3 rue des Lilas")
    maternity = Operation.objects.create(organisation=world.org_a, client=world.client, name="Robe Lune",
                                         brand="Bébé Cocon", brief="Une robe de grossesse.")
    from ambassade.outreach.compose import draft, templates_for

    mail = draft(lea.__class__.objects.create(operation=maternity, blog=lea.blog),
                 templates_for(maternity)["pitch"], note="x")
    assert "never_topic" in {p.code for p in mail.problems}


def test_stop_then_erase_keeps_statistics_and_refuses_a_reimport(client, db):
    org = load_demo()
    operation = Operation.objects.get(organisation=org, name__startswith="Goûters")
    placement = operation.placements.filter(status=Status.PUBLISHED).first()
    blogger = placement.blog.bloggers.get()
    address = blogger.emails.get().address
    before = operation_report(operation)
    token = page_token(blogger)
    client.post(reverse("portal_sensitive", args=[token, "stop"]), {"action_token": action_token(blogger, "stop")})
    assert Blogger.objects.get(pk=blogger.pk).opted_out_at is not None
    done = client.post(reverse("portal_sensitive", args=[token, "erase"]),
                       {"action_token": action_token(blogger, "erase"), "confirm": "yes"})
    assert "Vos données sont effacées" in done.content.decode()
    erased = Blogger.objects.get(pk=blogger.pk)
    assert erased.erased_at and not erased.first_name and not BloggerEmail.objects.filter(blogger=erased).exists()
    assert Suppression.objects.filter(organisation=org).count() == 1
    assert not Suppression.objects.filter(address_hash__contains=address.split("@")[0]).exists()
    assert not Message.objects.filter(to_address=address).exists()
    assert client.get(reverse("portal", args=[token])).status_code == 404  # its links are dead
    after = operation_report(operation)
    assert after.funnel == before.funnel and len(after.articles) == len(before.articles)
    assert after.total_cost == before.total_cost and after.units_shipped == before.units_shipped
    csv = f"blog_url;nom_du_blog;email;prenom\nhttps://nouveau-blog.example/;Nouveau;{address.upper()};X\n"
    plan = build_plan(org, "retour.csv", read_rows("retour.csv", csv.encode()))
    assert plan.rows[0].errors == ["cette personne a demandé l'effacement de ses données : "
                                   "son adresse ne peut pas être réimportée"]


def test_the_retention_rule_asks_then_erases_and_says_what_it_did(db, settings):
    from django.core.management import call_command

    org = load_demo()
    old = timezone.now() - timedelta(days=3 * 365 + 10)
    quiet = Blogger.objects.filter(organisation=org).order_by("pk")[:2]
    Blogger.objects.filter(pk__in=[b.pk for b in quiet]).update(last_heard_at=old, created_at=old)
    out = io.StringIO()
    call_command("gdpr_retention", "--dry-run", stdout=out)
    assert out.getvalue().startswith("2 personnes seraient sollicitées")
    assert not Message.objects.filter(step="consent").exists()
    call_command("gdpr_retention", stdout=io.StringIO())
    asked = Message.objects.filter(step="consent")
    assert asked.count() == 2 and all("[lien personnel]" in m.body_text and "/b/" not in m.body_text
                                      and "/b/" in as_sent(m) for m in asked)
    # One answers from the page; the other stays silent for a month.
    answering = Blogger.objects.get(pk=quiet[0].pk)
    from django.test import Client

    Client().post(reverse("portal_keep", args=[page_token(answering)]))
    month_later = timezone.now() + timedelta(days=31)
    from ambassade.portal.retention import retention_pass

    report = retention_pass(now=month_later)
    assert report["erased"] == [quiet[1].pk]
    assert Blogger.objects.get(pk=quiet[0].pk).erased_at is None
    assert Blogger.objects.get(pk=quiet[1].pk).erased_at is not None


def test_the_agency_sees_who_viewed_or_exported_and_can_erase_on_request(client, world, people):
    blogger = people[0].blog.bloggers.get()
    client.force_login(world.member)
    client.get(reverse("blogger_detail", args=[blogger.pk]))
    assert client.get(reverse("blogger_export", args=[blogger.pk])).status_code == 403  # managers only
    client.force_login(world.owner)
    exported = client.get(reverse("blogger_export", args=[blogger.pk]))
    assert json.loads(exported.content)["addresses"][0]["address"] == "lea@lea.example"
    page = client.get(reverse("blogger_detail", args=[blogger.pk])).content.decode()
    assert "member_a" in page and "owner_a" in page and "export" in page.lower()
    client.post(reverse("blogger_erase", args=[blogger.pk]))
    assert Blogger.objects.get(pk=blogger.pk).erased_at is not None
    client.force_login(world.outsider)
    assert client.get(reverse("blogger_detail", args=[blogger.pk])).status_code == 404
    assert Message.objects.filter(status=MessageStatus.QUEUED).count() == 0
