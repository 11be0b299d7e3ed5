"""A whole giveaway on the farm: rules, comments read politely and incrementally, fair exclusions, a
draw anyone can check, the winner's address and parcel, the report."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from ambassade.blogs.models import Blog, Blogger
from ambassade.campaigns.models import OperationKind, Placement
from ambassade.farm import giveaways as farm_giveaways
from ambassade.farm.server import FarmThread
from ambassade.giveaways import links, services, verify_draw
from ambassade.giveaways.collect import collect
from ambassade.giveaways.comments import Comment
from ambassade.giveaways.models import (
    Entry,
    EntryDecision,
    EntryStatus,
    Giveaway,
    Source,
    SourceKind,
    Winner,
)
from ambassade.logistics import ledger
from ambassade.reports.data import operation_report

ROOT = Path(__file__).resolve().parent.parent
VERIFIER = ROOT / "ambassade" / "giveaways" / "verify_draw.py"


@pytest.fixture
def farm(settings):
    settings.FARM_ALLOWED, settings.WATCH_HOST_DELAY = True, 0.0
    with FarmThread(count=12, seed=5) as running:
        yield running


def farm_blog(farm, platform):
    return next(b for b in farm.farm.blogs.values() if b.platform == platform and not b.faults)


def giveaway_on(world, farm, fblog, sources, *, winners=2, opens=None, closes=None, participants=30):
    now = timezone.now()
    opens, closes = opens or now - timedelta(days=10), closes or now - timedelta(hours=1)
    thread = farm_giveaways.grow(farm.farm, fblog, brand="Delacour", product="Brassé Vanille", opens_at=opens,
                                 closes_at=closes, participants=participants)
    blog = Blog.objects.create(organisation=world.org_a, url=farm.url(fblog) + "/", name=fblog.name,
                               platform=fblog.platform)
    Blogger.objects.create(organisation=world.org_a, blog=blog, first_name=fblog.first_name, source="test")
    world.operation.kind = OperationKind.GIVEAWAY
    world.operation.save()
    placement = Placement.objects.create(operation=world.operation, blog=blog)
    from ambassade.farm.render import post_path

    giveaway = Giveaway(organisation=world.org_a, placement=placement, title="Un an de yaourts à gagner",
                        post_url=farm.url(fblog) + post_path(fblog, thread.post), post_id=str(thread.post.id),
                        prize=world.product, prize_quantity=1, prize_value="24.90", winners_count=winners,
                        opens_at=opens, closes_at=closes, sources=sources)
    return services.create(giveaway, user=world.owner), thread


def comment_requests(farm, fblog, marker):
    return [r for r in farm.host_requests(fblog) if marker in r["path"]]


def run_verifier(path) -> subprocess.CompletedProcess:
    # -I: isolated mode, no site-packages and no project on the path: the standard library only.
    return subprocess.run([sys.executable, "-I", str(VERIFIER), str(path)], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.django_db
def test_a_whole_giveaway_runs_against_the_farm(world, farm, settings, client, tmp_path):
    settings.GIVEAWAY_PAGE_SIZE = 10
    fblog = farm_blog(farm, "wordpress")
    available_before = ledger.available(world.product)
    giveaway, thread = giveaway_on(world, farm, fblog, [SourceKind.WP_REST])
    # Creation: the prizes are reserved, the commitment is public before anyone enters.
    assert ledger.available(world.product) == available_before - 2
    assert giveaway.commitment == verify_draw.commitment_of(giveaway.secret)
    rules_page = client.get(reverse("giveaway_rules", args=[giveaway.public_id])).content.decode()
    assert giveaway.commitment in rules_page and giveaway.secret not in rules_page

    # First pass: every page of the REST API, oldest first; the unreadable item is dropped alone.
    readable = [c for c in thread.comments if not c.broken]
    report = collect(giveaway)
    assert report["new"] == len(readable) and report["dropped"] == 1
    source = Source.objects.get(giveaway=giveaway)
    pages = -(-len(thread.comments) // 10)
    assert source.resume_page == pages and source.error == "1 commentaire illisible ignoré"

    # Incremental: two new comments, one of them late; the next pass starts at the last page.
    farm_giveaways.late(thread)
    thread.add("Zoé Nouvelle", "Je participe, merci !", timezone.now() - timedelta(hours=2))
    Source.objects.update(next_check_at=timezone.now())
    before = len(comment_requests(farm, fblog, "/wp-json/wp/v2/comments"))
    assert collect(giveaway)["new"] == 2
    second = comment_requests(farm, fblog, "/wp-json/wp/v2/comments")[before:]
    assert "page=1&" not in " ".join(r["path"] + "&" for r in second)
    # Nothing new: one conditional request, answered 304.
    Source.objects.update(next_check_at=timezone.now())
    before = len(comment_requests(farm, fblog, "/wp-json/wp/v2/comments"))
    assert collect(giveaway)["new"] == 0
    assert [r["status"] for r in comment_requests(farm, fblog, "/wp-json/wp/v2/comments")[before:]] == [304]

    # Exclusions, each with its rule.
    entries = {e.external_id: e for e in Entry.objects.filter(giveaway=giveaway)}
    by_comment = {c.id: entries[str(c.id)] for c in thread.comments if str(c.id) in entries}
    rules_of = {c.author: by_comment[c.id].rule for c in thread.comments if c.id in by_comment}
    assert rules_of["Retard Tardif"] == "late"
    assert rules_of["Cheap Pills"] == "links"
    assert rules_of["xkqzv"] == "gibberish"
    assert all(by_comment[c.id].rule == "author" for c in thread.comments if c.by_author)
    second_try = [c for c in thread.comments if c.text == "Je participe encore, on ne sait jamais !"][0]
    assert by_comment[second_try.id].rule == "duplicate"
    assert {by_comment[c.id].rule for c in thread.comments if c.url == "https://double.example/"} == \
        {"", "near_duplicate"}
    nul = next(e for e in entries.values() if e.author_name.startswith("Nadia"))
    assert "\x00" not in nul.author_name + nul.text and nul.status == EntryStatus.VALID
    emoji = next(e for e in entries.values() if e.author_name == "🎉🎉🎉")
    assert emoji.status == EntryStatus.VALID and emoji.initials == "?"
    huge = next(e for e in entries.values() if e.author_name == "Roman Fleuve")
    assert len(huge.text) <= 5000 and huge.status == EntryStatus.VALID
    assert entries[str(next(c.id for c in thread.comments if c.author == "Zoé Nouvelle"))].status == "valid"

    # The CM excludes one entry with a reason (audited), and the rules leave it alone afterwards.
    client.force_login(world.member)
    response = client.post(reverse("entry_decide", args=[giveaway.pk, huge.pk]),
                           {"status": "excluded", "reason": "texte copié d'un autre concours"})
    assert response.status_code == 302
    huge.refresh_from_db()
    assert (huge.status, huge.rule, huge.overridden) == ("excluded", "manual", True)
    assert EntryDecision.objects.get(entry=huge).user == world.member
    page = client.get(reverse("giveaway_detail", args=[giveaway.pk])).content.decode()
    assert "Après la clôture du concours" in page and "Commentaire ou réponse de l&#x27;auteur du blog" in page

    # Freeze and draw (from the page), then the certificate.
    assert client.post(reverse("giveaway_draw", args=[giveaway.pk])).status_code == 302
    giveaway.refresh_from_db()
    assert giveaway.frozen_at and giveaway.drawn_at and giveaway.winners.count() == 2
    cert = client.get(reverse("giveaway_certificate_json", args=[giveaway.public_id])).json()
    assert cert["mode"] == "commit-reveal (no public beacon reachable)" and cert["secret"] == giveaway.secret
    assert cert["exclusions"]["late"] == 1 and "author" in cert["rules"]
    assert not any(name in json.dumps(cert, ensure_ascii=False) for name in ("Retard Tardif", "Zoé", "Cheap"))
    path = tmp_path / "tirage.json"
    path.write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
    checked = run_verifier(path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    call_command("verify_draw", str(path))

    # A changed list or a changed secret: the check disagrees, and says where.
    tampered = json.loads(path.read_text(encoding="utf-8"))
    loser = next(e for e in tampered["entries"] if e["status"] == "valid" and e["code"] not in cert["winners"])
    next(e for e in tampered["entries"] if e["code"] == cert["winners"][0])["status"] = "excluded"
    path.write_text(json.dumps(tampered), encoding="utf-8")
    assert run_verifier(path).returncode == 1
    with pytest.raises(CommandError, match="liste des participations"):
        call_command("verify_draw", str(path))
    forged = {**cert, "secret": "00" * 32}
    path.write_text(json.dumps(forged), encoding="utf-8")
    result = run_verifier(path)
    assert result.returncode == 1 and "engagement" in result.stdout
    assert loser  # the list had losers to promote

    # The winners: told through the blogger (no e-mail is public on a blog), an address by the signed link.
    winner = giveaway.winners.order_by("rank").first()
    client.logout()
    token = links.address_token(winner)
    assert client.get(reverse("giveaway_address", args=[token[:-2] + "xx"])).context["winner"] is None
    response = client.post(reverse("giveaway_address", args=[token]),
                           {"full_name": "Camille Martin", "postal_address": "3 rue des Lilas\n35000 Rennes"})
    assert "Merci, c'est noté" in response.content.decode()
    winner.refresh_from_db()
    assert winner.postal_address.startswith("3 rue des Lilas")

    # The prize ships from stock: the reservation becomes a "given to a giveaway winner" movement.
    on_hand = ledger.on_hand(world.product)
    shipment = services.ship_prize(winner, ledger.Parcel("Colissimo", "6A123"))
    assert ledger.on_hand(world.product) == on_hand - 1
    assert ledger.available(world.product) == available_before - 2
    assert world.product.movements.filter(kind="giveaway", quantity=-1).exists()
    response = client.post(reverse("giveaway_receipt", args=[links.receipt_token(shipment.pk)]))
    assert "est enregistrée" in response.content.decode()
    shipment.refresh_from_db()
    assert shipment.received_at and shipment.received_by == "gagnant"
    assert Placement.objects.get(pk=giveaway.placement_id).status == "candidate"  # the blogger's, untouched

    # The report.
    line = operation_report(world.operation).giveaways[0]
    assert line.entries == Entry.objects.filter(giveaway=giveaway).count()
    assert line.valid == Entry.objects.filter(giveaway=giveaway, status="valid").count()
    assert dict(line.exclusions)["Après la clôture du concours"] == 1
    assert line.comments_during == len(readable) + 1  # the late one is after
    assert (line.prizes_shipped, line.prizes_received) == (1, 1)
    assert line.winners == [w.entry.initials for w in giveaway.winners.order_by("rank")]
    client.force_login(world.member)
    page = client.get(reverse("operation_report", args=[world.operation.pk])).content.decode()
    assert "Un an de yaourts à gagner" in page and "Participations retenues" in page

    # The winner's data is erased a set time after receipt.
    later = timezone.now() + timedelta(days=settings.GIVEAWAY_ERASE_DAYS + 1)
    assert services.erase_due(later, dry_run=True)["winners"] == 1
    assert services.erase_due(later)["winners"] == 1
    winner.refresh_from_db()
    assert winner.postal_address == "" and winner.full_name == "" and winner.erased_at


@pytest.mark.django_db
def test_comment_feeds_are_read_conditionally_on_blogger_and_wordpress(world, farm):
    fblog = farm_blog(farm, "blogger")
    giveaway, thread = giveaway_on(world, farm, fblog, [SourceKind.BLOGGER_FEED])
    assert collect(giveaway)["new"] == len(thread.comments) - 1  # the unreadable entry is dropped alone
    replies = Entry.objects.filter(giveaway=giveaway, parent_id__gt="")
    assert replies.exists() and set(replies.values_list("rule", flat=True)) == {"author"}
    Source.objects.update(next_check_at=timezone.now())
    assert collect(giveaway)["new"] == 0
    assert comment_requests(farm, fblog, "/comments/default")[-1]["status"] == 304

    wp = farm_blog(farm, "wordpress")
    other, wp_thread = giveaway_on(world, farm, wp, [SourceKind.WP_FEED])
    assert collect(other)["new"] == len(wp_thread.comments) - 1
    assert Entry.objects.filter(giveaway=other, rule="links").exists()


@pytest.mark.django_db
def test_a_malformed_source_is_recorded_and_the_others_still_collected(world, farm, settings):
    fblog = farm_blog(farm, "wordpress")
    giveaway, thread = giveaway_on(world, farm, fblog, [SourceKind.WP_REST, SourceKind.WP_FEED])
    Source.objects.filter(giveaway=giveaway, kind=SourceKind.WP_FEED).update(url=farm.url(fblog) + "/robots.txt")
    report = collect(giveaway)
    assert report["errors"] == 1 and report["new"] == len(thread.comments) - 1
    assert "illisible" in Source.objects.get(giveaway=giveaway, kind=SourceKind.WP_FEED).error


@pytest.mark.django_db
def test_the_giveaway_pages_are_the_organisations_own(world, farm, client):
    giveaway, _ = giveaway_on(world, farm, farm_blog(farm, "wordpress"), [SourceKind.WP_REST])
    services.ingest(giveaway, SourceKind.CSV, [Comment("1", "Ana", "Je participe", giveaway.opens_at)])
    entry = giveaway.entries.get()
    winner = Winner.objects.create(giveaway=giveaway, entry=entry, rank=1)
    client.force_login(world.outsider)
    urls = [reverse(name, args=[giveaway.pk]) for name in ("giveaway_detail", "giveaway_collect", "giveaway_upload",
                                                           "giveaway_draw")]
    urls += [reverse("entry_decide", args=[giveaway.pk, entry.pk]), reverse("winner_ship", args=[giveaway.pk, winner.pk]),
             reverse("giveaway_create", args=[world.operation.pk])]
    for url in urls:
        for method in (client.get, client.post):
            assert method(url).status_code in (404, 405), (method.__name__, url)
    entry.refresh_from_db()
    assert entry.status == "valid" and giveaway.source_rows.get(kind="wp_rest").next_check_at
    client.force_login(world.viewer)  # the client reads the report, never participants' e-mails or links
    assert client.get(reverse("giveaway_detail", args=[giveaway.pk])).status_code == 403
    assert client.post(reverse("giveaway_draw", args=[giveaway.pk])).status_code == 403
    client.force_login(world.member)
    assert client.get(reverse("giveaway_detail", args=[giveaway.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("giveaway_detail", args=[giveaway.pk])).status_code == 302
    assert client.get(reverse("giveaway_rules", args=[giveaway.public_id])).status_code == 200


@pytest.mark.django_db
def test_the_demo_giveaway_points_at_the_post_the_demo_farm_grows(settings):
    from ambassade.farm.catalog import build_catalog
    from ambassade.farm.demo_data import load_demo
    from ambassade.farm.render import post_path
    from ambassade.farm.server import Farm

    org = load_demo()
    giveaway = Giveaway.objects.get(organisation=org)
    farm = Farm(build_catalog(60, 42), settings.FARM_DOMAIN)  # as `ambassade farm` builds it
    thread = farm_giveaways.grow_demo(farm, timezone.localdate())
    fblog = farm_giveaways.demo_blog(farm.blogs.values())
    assert giveaway.post_id == str(thread.post.id)
    assert giveaway.post_url == giveaway.blog.url.rstrip("/") + post_path(fblog, thread.post)
    assert giveaway.is_open() and giveaway.sources == [SourceKind.WP_REST, SourceKind.FORM]
    shown = farm_giveaways._visible(thread)
    assert 0 < len(shown) < len(thread.comments)  # the demo's comments arrive as their time comes
