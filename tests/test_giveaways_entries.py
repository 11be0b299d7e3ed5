"""Entries: what is fair, what hostile input does, the entry form and the règlement it sits under."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassade.giveaways import links, services
from ambassade.giveaways.comments import Unreadable, parse_comment_feed, parse_csv, parse_wp_rest
from ambassade.giveaways.models import Entry, Giveaway, SourceKind
from ambassade.giveaways.rules import Candidate, judge, spam
from ambassade.outreach.models import Message

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def candidate(key, name, text, *, minutes=60, url="", email=""):
    return Candidate(key, name, url, email, text, T0 + timedelta(minutes=minutes))


def verdicts(*candidates, authors=("Léa",)):
    found = judge(list(candidates), opens_at=T0, closes_at=T0 + timedelta(days=7), author_names=list(authors),
                  author_sites=["https://cuisine-de-lea.example/"])
    return {k: (v.status, v.rule) for k, v in found.items()}


@pytest.mark.parametrize("text", ["je participe !", "Je participe 🤞", "Coucou, je tente ma chance",
                                  "Participation ! Merci", "🎉", ""])
def test_a_short_french_entry_is_valid(text):
    assert spam(text) is None


@pytest.mark.parametrize("text, rule", [
    ("Super ! www.promo-pilules.example", "links"), ("Buy cheap watches now", "spam_shape"),
    ("aaaaaaaaaaaaaaaaaaa", "spam_shape"), ("The quick brown fox jumps over lazy dogs", "gibberish"),
    ("xkcdqwrtp zxcvbnm plkjhgf", "gibberish")])
def test_spam_is_named_by_its_rule(text, rule):
    assert spam(text)[0] == rule


def test_one_entry_per_person_by_email_or_by_name_and_site():
    assert verdicts(
        candidate(1, "Julie Martin", "Je participe", url="https://julie.example"),
        candidate(2, "julie  MARTIN", "Je participe encore", url="http://www.julie.example/", minutes=90),
        candidate(3, "Julie Martin", "Je participe !", url="https://autre-julie.example", minutes=100),
        candidate(4, "Marc", "Je participe", email="m@example.org", minutes=110),
        candidate(5, "Marc D.", "Moi aussi je joue", email="M@example.org", minutes=120),
        candidate(6, "Léa", "Merci à tous !", minutes=130),
        candidate(7, "Zoé", "Trop tard ?", minutes=60 * 24 * 8),
        candidate(8, "Zoé", "Trop tôt ?", minutes=-30),
    ) == {1: ("valid", ""), 2: ("excluded", "duplicate"), 3: ("valid", ""), 4: ("valid", ""),
          5: ("excluded", "duplicate"), 6: ("excluded", "author"), 7: ("excluded", "late"),
          8: ("excluded", "early")}


def test_the_same_long_text_under_two_names_from_one_site_is_a_near_duplicate():
    text = "Je tente ma chance, ce concours est vraiment génial, merci !"
    assert verdicts(candidate(1, "Anne", text, url="https://anne.example"),
                    candidate(2, "Anne B", text + "!", url="https://anne.example", minutes=70),
                    candidate(3, "Paul", text, minutes=80)) == {
        1: ("valid", ""), 2: ("excluded", "near_duplicate"), 3: ("valid", "")}


def test_an_odd_comment_drops_alone_and_a_broken_document_says_why():
    body = (b'[{"id": 1, "author_name": "A\\u0000na", "date_gmt": "2026-12-01T10:00:00", "content": {"rendered":'
            b' "<p>Je participe &amp; merci</p>"}}, {"id": 2, "date_gmt": 12}, "pas un objet",'
            b' {"id": 3, "author_name": ["liste"], "date": "2026-12-01T11:00:00", "content": {"rendered": "Hop"}}]')
    comments, dropped = parse_wp_rest(body)
    assert [(c.external_id, c.author_name, c.text) for c in comments] == [("1", "Ana", "Je participe & merci"),
                                                                         ("3", "", "Hop")]
    assert dropped == 2
    for broken in (b"{not json", b'{"code": "rest_forbidden"}', b"\xff\xfe"):
        with pytest.raises(Unreadable):
            parse_wp_rest(broken)
    with pytest.raises(Unreadable):
        parse_comment_feed(b"<html>pas un flux")
    huge = b'[{"id": 9, "author_name": "X", "date_gmt": "2026-12-01T10:00:00", "content": {"rendered": "' + \
        b"a" * 2_000_000 + b'"}}]'
    assert len(parse_wp_rest(huge)[0][0].text) == 5000


def test_a_wordpress_csv_export_in_windows_1252_is_read():
    data = ("comment_ID;comment_author;comment_author_email;comment_author_url;comment_date;comment_content\n"
            "11;Hélène;helene@example.org;;2026-12-02 10:00:00;Je participe !\n"
            "12;Bad;;;pas une date;x\n").encode("cp1252")
    comments, dropped = parse_csv(data)
    assert [(c.external_id, c.author_name, c.email) for c in comments] == [("11", "Hélène", "helene@example.org")]
    assert dropped == 1
    with pytest.raises(Unreadable):
        parse_csv(b"a,b\n1,2\n")


@pytest.fixture
def giveaway(world):
    now = timezone.now()
    return services.create(Giveaway(
        organisation=world.org_a, placement=world.placement, title="Un an de yaourts", post_url=world.blog.url + "concours/",
        post_id="42", prize=world.product, prize_value="24.90", winners_count=3, opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6), sources=[SourceKind.CSV, SourceKind.FORM]))


def test_the_reglement_says_what_french_practice_expects(giveaway, client):
    page = client.get(reverse("giveaway_rules", args=[giveaway.public_id])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#x27;", "'").replace("&quot;", '"')
    for expected in ("L.121-20 du Code de la consommation", "L.320-1 et suivants du Code de la sécurité intérieure",
                     "sans obligation d'achat", "en partenariat avec la marque Delacour", "3 lots sont mis en jeu",
                     "valeur commerciale unitaire de 24,90 € TTC, soit 74,70 € TTC au total",
                     "au moins 18 ans", "France métropolitaine", "Ne peuvent pas participer",
                     "10 jours à compter de l'annonce", "droit d'accès", "CNIL", giveaway.commitment,
                     links.public_url(giveaway), "heure de Paris", "je participe !"):
        assert expected in text, expected
    assert "(s)" not in text, text[text.find("(s)") - 80:text.find("(s)") + 20]
    assert " de Agence" not in text
    assert 'type="checkbox" name="marketing"' in page and "checked" not in page.split('name="marketing"')[1][:40]


def test_the_entry_form_counts_once_the_email_is_confirmed(giveaway, client):
    response = client.post(reverse("giveaway_rules", args=[giveaway.public_id]),
                           {"name": "Inès Petit", "email": "ines@example.org", "accept": "on"})
    assert "Presque fini" in response.content.decode()
    entry = Entry.objects.get(giveaway=giveaway)
    assert (entry.status, entry.rule, entry.marketing_consent) == ("excluded", "unconfirmed", False)
    mail = Message.objects.get(to_address="ines@example.org")
    path = re.search(r"/concours-confirmer/[^\s]+/", mail.body_text).group(0)
    client.post(path[:-3] + "xx/")
    entry.refresh_from_db()
    assert entry.status == "excluded"
    client.post(path)
    entry.refresh_from_db()
    assert entry.status == "valid" and entry.email_confirmed_at


def test_a_csv_upload_adds_entries_and_a_bad_file_says_why(giveaway, client, world):
    client.force_login(world.member)
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("c.csv", "comment_ID,comment_author,comment_date,comment_content\n"
                              f"1,Ana,{timezone.now():%Y-%m-%d %H:%M:%S},Je participe\n".encode())
    client.post(reverse("giveaway_upload", args=[giveaway.pk]), {"file": good})
    assert Entry.objects.filter(giveaway=giveaway, source="csv").count() == 1
    bad = SimpleUploadedFile("c.csv", b"\x00\x01garbage")
    response = client.post(reverse("giveaway_upload", args=[giveaway.pk]), {"file": bad}, follow=True)
    assert "Fichier illisible" in response.content.decode()


def test_a_reason_is_required_and_the_list_is_fixed_after_the_freeze(giveaway):
    entry = services.add_form_entry(giveaway, "Ana", "ana@example.org", False)
    with pytest.raises(services.GiveawayError):
        services.decide(entry, "valid", "  ")
    Giveaway.objects.filter(pk=giveaway.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    giveaway.refresh_from_db()
    services.freeze(giveaway)
    with pytest.raises(services.GiveawayError):
        services.decide(entry, "valid", "confirmé par téléphone")


def test_the_cm_creates_a_giveaway_from_its_operation_and_the_prize_is_reserved(world, client):
    from ambassade.logistics.ledger import available

    client.force_login(world.member)
    assert "Concours" in client.get(reverse("operation_detail", args=[world.operation.pk])).content.decode()
    before = available(world.product)
    response = client.post(reverse("giveaway_create", args=[world.operation.pk]), {
        "placement": world.placement.pk, "title": "Yaourts à gagner", "post_url": "https://cuisine-de-lea.example/c/",
        "post_id": "7", "prize": world.product.pk, "prize_quantity": 1, "prize_value": "3.50", "winners_count": 2,
        "opens_at": "2026-12-01T09:00", "closes_at": "2026-12-08T20:00", "min_age": 18,
        "countries": "France métropolitaine", "sources": ["wp_rest", "form"], "author_names": "Léa B, lea_cuisine",
        "claim_days": 10})
    giveaway = Giveaway.objects.get()
    assert response.status_code == 302 and available(world.product) == before - 2
    assert timezone.localtime(giveaway.closes_at).strftime("%H:%M %Z") == "20:00 CET"  # Paris time
    assert giveaway.author_names == ["Léa B", "lea_cuisine"]
    assert sorted(giveaway.source_rows.values_list("kind", flat=True)) == ["form", "wp_rest"]
    too_many = client.post(reverse("giveaway_create", args=[world.operation.pk]), {
        "placement": world.placement.pk, "title": "Trop", "post_url": "https://cuisine-de-lea.example/d/",
        "prize": world.product.pk, "prize_quantity": 1, "prize_value": "1", "winners_count": 50,
        "opens_at": "2026-12-01T09:00", "closes_at": "2026-12-08T20:00", "min_age": 18, "countries": "France",
        "sources": ["form"], "claim_days": 10})
    assert "plus de stock" in too_many.content.decode() and Giveaway.objects.count() == 1


def test_the_loop_draws_a_closed_giveaway_and_the_command_says_what_it_erases(giveaway, capsys):
    from django.core.management import call_command

    entry = services.add_form_entry(giveaway, "Ana Roux", "ana@example.org", True)
    services.confirm_form_entry(entry)
    assert services.close_due()["drawn"] == 0  # still open
    assert services.close_due(giveaway.closes_at + timedelta(minutes=1))["drawn"] == 1
    giveaway.refresh_from_db()
    assert [w.entry for w in giveaway.winners.all()] == [entry]
    mail = Message.objects.get(to_address="ana@example.org", subject__startswith="Vous avez gagné")
    assert "/concours-gagnant/" in mail.body_text and giveaway.public_id in mail.body_text
    # Fewer fair entries than prizes: the two prizes nobody won go back to the stock.
    assert giveaway.prize.movements.filter(kind="released", quantity=2).exists()
    call_command("giveaways", "--erase-only", "--dry-run")
    assert "données à effacer : 0 gagnants, 0 participations" in capsys.readouterr().out


def test_the_entry_form_will_not_mail_anyone_as_often_as_a_script_asks(giveaway, client):
    url = reverse("giveaway_rules", args=[giveaway.public_id])
    for i in range(8):
        client.post(url, {"name": f"Robot {i}", "email": f"victime{i}@example.org", "accept": "on"})
    assert Message.objects.filter(to_address__startswith="victime").count() == 5
    response = client.post(url, {"name": "Robot", "email": "encore@example.org", "accept": "on"})
    assert "Trop de participations envoyées d&#x27;ici" in response.content.decode()


def test_a_reinstated_entry_keeps_its_persons_place():
    found = judge([Candidate(1, "Julie", "", "", "http://mon-blog.example est mon blog", T0 + timedelta(hours=1),
                             decided="valid"),
                   Candidate(2, "Julie", "", "", "Je participe !", T0 + timedelta(hours=2))],
                  opens_at=T0, closes_at=T0 + timedelta(days=7), author_names=[], author_sites=[])
    assert (found[1].status, found[2].rule) == ("valid", "duplicate")


def test_one_wordpress_comment_read_by_the_api_and_the_feed_is_one_entry(giveaway):
    when = timezone.now()
    rest, _ = parse_wp_rest(b'[{"id": 345, "author_name": "Ana", "date_gmt": "%s", "content": {"rendered": "Je '
                            b'participe"}}]' % when.strftime("%Y-%m-%dT%H:%M:%S").encode())
    feed, _ = parse_comment_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><item><title>Par : Ana</title>'
        b'<guid isPermaLink="false">https://x.example/?p=12#comment-345</guid><pubDate>'
        + when.strftime("%a, %d %b %Y %H:%M:%S +0000").encode() + b"</pubDate><description>Je participe"
        b"</description></item></channel></rss>")
    assert feed[0].external_id == "345"
    assert services.ingest(giveaway, SourceKind.WP_REST, rest) == 1
    assert services.ingest(giveaway, SourceKind.WP_FEED, feed) == 0


@pytest.mark.django_db
def test_the_loop_reads_comments_and_draws_each_tick_and_erases_daily():
    from ambassade.scheduler.loop import LoopState, tick

    state = LoopState(batch_size=50)
    tick(state, now=timezone.make_aware(datetime(2026, 12, 1, 9)), monotonic=0.0)
    assert {"collect_entries", "close_due_giveaways", "erase_giveaway_data"} <= set(state.enqueued)
    tick(state, now=timezone.make_aware(datetime(2026, 12, 1, 10)), monotonic=1.0)
    assert {"collect_entries", "close_due_giveaways"} <= set(state.enqueued)
    assert "erase_giveaway_data" not in state.enqueued  # once a day
