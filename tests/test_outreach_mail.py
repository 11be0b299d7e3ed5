"""Outreach end to end with real servers: an aiosmtpd sink receives what Ambassade sends, Dovecot
holds the replies, auto-replies and bounces the tests append (.eml fixtures)."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from ambassade.blogs.models import Blog, Blogger, BloggerEmail, Cadence
from ambassade.campaigns.models import Client, Operation, OperationStatus, Placement
from ambassade.campaigns.status import Status
from ambassade.logistics import ledger
from ambassade.logistics.models import Supply
from ambassade.outreach.compose import draft_batch, queue, templates_for
from ambassade.outreach.followups import apply, plan
from ambassade.outreach.inbox import poll, receive
from ambassade.outreach.models import (
    Direction,
    MailSettings,
    Message,
    MessageStatus,
    Security,
    TemplateKind,
)
from ambassade.outreach.sender import send_due
from ambassade.watch.models import Coverage, Post

from .conftest import ROOT, worker_env
from .mailservers import Dovecot, SmtpSink

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
PARIS = ZoneInfo("Europe/Paris")


def next_weekday(weekday: int, hour: int, minute: int = 0) -> datetime:
    """The next such day after today (never today), at that time in Paris: always in the future."""
    today = timezone.localdate()
    days = (weekday - today.weekday()) % 7 or 7
    return datetime.combine(today + timedelta(days=days), datetime.min.time(), tzinfo=PARIS).replace(
        hour=hour, minute=minute)


TUESDAY_10 = next_weekday(1, 10)  # inside the sending window


@pytest.fixture
def smtp():
    with SmtpSink() as sink:
        yield sink


def setup_org(world, smtp, **extra):
    return MailSettings.objects.create(
        organisation=world.org_a, from_name="Claire Morel", from_address="claire@plume.example",
        smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security=Security.NONE, signature="Claire, Agence A",
        **extra)


def shortlisted(world, operation, names):
    placements = []
    for i, name in enumerate(names):
        blog = Blog.objects.create(organisation=world.org_a, url=f"https://{name.lower()}.example/", name=f"Blog de {name}")
        blogger = Blogger.objects.create(organisation=world.org_a, blog=blog, first_name=name, source="page contact du blog")
        BloggerEmail.objects.create(organisation=world.org_a, blogger=blogger, address=f"{name.lower()}@{name.lower()}.example")
        Post.objects.create(blog=blog, guid=f"g{i}", url=f"https://{name.lower()}.example/gouter", title=f"Le goûter de {name}",
                            published_at=timezone.now() - timedelta(days=2))
        placement = Placement.objects.create(operation=operation, blog=blog)
        ledger.move(placement, Status.SHORTLISTED)
        placements.append(placement)
    return placements


def yogurt(world, client=None):
    return Operation.objects.create(organisation=world.org_a, client=client or world.client, name="Goûters d'hiver",
                                    brand="Laiterie Delacour", product_names=["Brassé Vanille"],
                                    status=OperationStatus.RUNNING)


def pitch(placements, notes=None):
    operation = placements[0].operation
    notes = notes or {p.pk: f"Votre billet sur le goûter de {p.blog.name} m'a donné envie de vous écrire ({p.pk})."
                      for p in placements}
    return queue(draft_batch(placements, templates_for(operation)[TemplateKind.PITCH], notes))


def eml(name, **values):
    raw = (FIXTURES / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(f"%%{key.upper()}%%".encode(), value.encode())
    return raw


def test_it_sends_each_pitch_one_to_one_with_our_headers_and_moves_the_placement(world, smtp):
    setup_org(world, smtp)
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie", "Hugo"])
    pitch(placements)
    report = send_due(TUESDAY_10)
    assert report.sent == 3 and len(smtp.received) == 3
    for received in smtp.received:
        assert len(received.recipients) == 1  # never grouped
        mail = received.message
        assert mail["Cc"] is None and mail["Bcc"] is None and len(mail.get_all("To")) == 1
        assert mail["Message-ID"].endswith("@plume.example>")
        assert mail["Reply-To"].startswith("claire+") and mail["Reply-To"].endswith("@plume.example")
        assert mail["List-Unsubscribe"].startswith("<http") and "/opposition/" in mail["List-Unsubscribe"]
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for placement in placements:
        placement.refresh_from_db()
        assert placement.status == Status.PITCHED
    assert send_due(TUESDAY_10).sent == 0  # nothing twice


def test_it_waits_for_working_hours_the_daily_cap_and_the_bloggers_cadence(world, smtp):
    setup_org(world, smtp, daily_cap=2)
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie", "Hugo"])
    pitch(placements)
    saturday = next_weekday(5, 15)
    report = send_due(saturday)
    assert report.sent == 0 and report.waiting == 3 and not smtp.received
    message = Message.objects.first()
    assert timezone.localtime(message.send_after).weekday() == 0 and timezone.localtime(message.send_after).hour == 9
    monday = saturday.replace(hour=9, minute=5) + timedelta(days=2)
    assert send_due(monday).sent == 2  # the cap
    assert Message.objects.filter(status=MessageStatus.QUEUED).get().error.startswith("en attente : plafond")
    # A blogger who wants at most one mail a month gets nothing from another operation this month.
    Blogger.objects.filter(first_name="Lea").update(cadence=Cadence.MONTHLY)
    other = yogurt(world, client=Client.objects.get(name="Maison Azur"))
    lea_blog = Blog.objects.get(name="Blog de Lea")
    again = Placement.objects.create(operation=other, blog=lea_blog)
    ledger.move(again, Status.SHORTLISTED)
    pitch([again])
    send_due(monday + timedelta(days=1))
    held = Message.objects.get(placement=again)
    assert held.status == MessageStatus.QUEUED and "rythme de contact" in held.error
    assert held.send_after > monday + timedelta(days=25)


def test_it_retries_a_temporary_failure_and_gives_up_on_a_refused_address(world, smtp):
    setup_org(world, smtp)
    placements = shortlisted(world, yogurt(world), ["Lea"])
    pitch(placements)
    smtp.handler.data_reply = "451 4.3.0 Try again later"
    report = send_due(TUESDAY_10)
    message = Message.objects.get()
    assert report.retried == 1 and message.status == MessageStatus.QUEUED and message.attempts == 1
    assert message.send_after > TUESDAY_10 + timedelta(seconds=60) and "451" in message.error
    smtp.handler.data_reply = None
    assert send_due(message.send_after.astimezone(PARIS) + timedelta(seconds=1)).sent == 1
    assert len(smtp.received) == 1

    more = shortlisted(world, placements[0].operation, ["Julie"])
    pitch(more)
    smtp.handler.rcpt_reply = "550 5.1.1 User unknown"
    send_due(TUESDAY_10)
    failed = Message.objects.get(placement=more[0])
    assert failed.status == MessageStatus.FAILED and "550" in failed.error
    assert BloggerEmail.objects.get(address="julie@julie.example").is_invalid


def test_the_opt_out_link_takes_effect_at_once_for_every_client(client, world, smtp):
    setup_org(world, smtp)
    placements = shortlisted(world, yogurt(world), ["Lea"])
    pitch(placements)
    send_due(TUESDAY_10)
    url = smtp.received[0].message["List-Unsubscribe"].strip("<>")
    path = url.split("127.0.0.1:8000", 1)[1]
    # A link scanner's GET changes nothing.
    assert client.get(path).status_code == 200
    assert Blogger.objects.get(first_name="Lea").opted_out_at is None
    # Another client's operation had a pitch waiting for the same person.
    other = yogurt(world, client=Client.objects.get(name="Maison Azur"))
    waiting = Placement.objects.create(operation=other, blog=placements[0].blog)
    ledger.move(waiting, Status.SHORTLISTED)
    pitch([waiting])
    response = client.post(path, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token
    assert response.status_code == 200
    assert Blogger.objects.get(first_name="Lea").opted_out_at is not None
    assert Message.objects.get(placement=waiting).status == MessageStatus.CANCELLED
    report = send_due(TUESDAY_10)
    assert report.sent == 0 and len(smtp.received) == 1
    assert client.get(path[:-5] + "XXXX/").status_code == 400  # tampered


@pytest.fixture
def imap():
    try:
        with Dovecot() as server:
            yield server
    except FileNotFoundError:
        from .conftest import IN_CI

        if IN_CI:
            pytest.fail("Dovecot is missing: .ci/run installs dovecot-imapd")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")


def mailbox(world, smtp, imap):
    settings = setup_org(world, smtp, imap_host="127.0.0.1", imap_port=imap.port, imap_security=Security.NONE,
                         imap_username=imap.USER, imap_password_env="AMBASSADE_TEST_IMAP_PASSWORD")
    os.environ["AMBASSADE_TEST_IMAP_PASSWORD"] = imap.PASSWORD
    return settings


def test_a_reply_in_the_mailbox_moves_the_placement_and_holds_back_the_follow_up(world, smtp, imap):
    settings = mailbox(world, smtp, imap)
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie"])
    pitch(placements)
    send_due(TUESDAY_10)
    lea = Message.objects.get(placement=placements[0])
    imap.append(eml("auto_reply.eml", **{"from": "lea@lea.example", "to": "claire@plume.example",
                                          "in_reply_to": lea.message_id}))
    imap.append(eml("reply_quoted.eml", **{"from": "lea@lea.example", "to": "claire@plume.example",
                                            "in_reply_to": lea.message_id}))
    report = poll(settings)
    assert (report.read, report.replies, report.auto_replies) == (2, 1, 1)
    placements[0].refresh_from_db()
    assert placements[0].status == Status.REPLIED
    assert placements[0].events.last().actor == "reply"
    reply = Message.objects.to_answer().get()
    assert reply.body_text.startswith("Bonjour Claire,") and "a écrit" not in reply.body_text
    assert reply.subject == "Re : Brassé Vanille : une proposition"  # RFC 2047 decoded
    out = StringIO()
    call_command("poll_replies", stdout=out)  # what the loop's task does: every configured mailbox
    assert out.getvalue().startswith("0 mail lu")  # each mail is read once
    # Five working days later, the rules: Julie gets a reminder, Léa's is held back with its reason.
    later = timezone.now() + timedelta(days=8)
    decisions = {d.placement.blog.name: d for d in plan(later)}
    assert decisions["Blog de Julie"].action == "send"
    assert decisions["Blog de Lea"].action == "hold" and decisions["Blog de Lea"].reason == "réponse reçue"
    apply(list(decisions.values()), later)
    held = Message.objects.get(placement=placements[0], step="no_answer")
    assert held.status == MessageStatus.CANCELLED and held.error == "réponse reçue"
    assert plan(later) == []  # decided once


def test_auto_replies_and_bounces_never_count_as_replies_and_a_hard_bounce_invalidates_the_address(world, smtp, imap):
    settings = mailbox(world, smtp, imap)
    placements = shortlisted(world, yogurt(world), ["Lea"])
    pitch(placements)
    send_due(TUESDAY_10)
    sent = Message.objects.get()
    values = {"from": "lea@lea.example", "to": "claire@plume.example", "in_reply_to": sent.message_id}
    imap.append(eml("auto_reply_subject_only.eml", **values))
    imap.append(eml("bounce_dsn.eml", **values))
    report = poll(settings)
    assert report.replies == 0 and report.auto_replies == 1 and report.bounces == 1
    placements[0].refresh_from_db()
    assert placements[0].status == Status.PITCHED
    assert BloggerEmail.objects.get(address="lea@lea.example").is_invalid
    sent.refresh_from_db()
    assert sent.status == MessageStatus.FAILED and "5.1.1" in sent.error
    assert not Message.objects.to_answer().exists()


def test_replies_are_matched_by_token_or_sender_and_bad_mail_is_kept_with_its_problem(world, smtp, imap, settings):
    mail_settings = mailbox(world, smtp, imap)
    settings.OUTREACH_MAX_INBOUND_BYTES = 50_000
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie", "Hugo", "Manon", "Ines"])
    pitch(placements)
    send_due(TUESDAY_10)
    by_name = {m.placement.blog.name.split()[-1]: m for m in Message.objects.filter(direction=Direction.OUTBOUND)}
    reply_to = {name: smtp_message["Reply-To"] for name in by_name for smtp_message in
                [r.message for r in smtp.received] if smtp_message["To"].startswith(name.lower())}
    # HTML only, no threading headers: matched by the signed token in the address it was sent to.
    imap.append(eml("reply_html_only.eml", **{"from": "someone-else@gmail.example", "to": reply_to["Julie"]}))
    # Unknown charset, and a lying one: read anyway, the problem noted.
    imap.append(eml("reply_wrong_charset.eml", **{"from": "hugo@hugo.example", "to": "claire@plume.example",
                                                   "in_reply_to": by_name["Hugo"].message_id}))
    imap.append(eml("reply_lying_charset.eml", **{"from": "manon@manon.example", "to": "claire@plume.example",
                                                   "in_reply_to": "<unknown@nowhere.example>"}))
    # Malformed MIME, from a known sender only.
    imap.append(eml("malformed.eml", **{"from": "ines@ines.example", "to": "claire@plume.example"}))
    # A huge attachment: only the start is read.
    big = eml("reply_quoted.eml", **{"from": "lea@lea.example", "to": "claire@plume.example",
                                     "in_reply_to": by_name["Lea"].message_id}).replace(
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n",
        b'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain; charset=utf-8\n'
        b"Content-Transfer-Encoding: 8bit\n", 1) + b"\n--B\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" \
        + b"QUFB\n" * 40_000 + b"--B--\n"
    imap.append(big)
    report = poll(mail_settings)
    assert report.read == 5 and report.replies == 5 and report.unmatched == 0
    for name in ("Julie", "Hugo", "Manon", "Ines", "Lea"):
        placement = Placement.objects.get(blog__name=f"Blog de {name}")
        assert placement.status == Status.REPLIED, name
    texts = {m.placement.blog.name.split()[-1]: m for m in Message.objects.filter(direction=Direction.INBOUND)}
    assert "produits laitiers" in texts["Julie"].body_text and "gmail_quote" not in texts["Julie"].body_text
    assert "d'accord pour le colis" in texts["Hugo"].body_text and "jeu de caractères" in texts["Hugo"].error
    assert "Très volontiers" in texts["Manon"].body_text
    assert "partante" in texts["Ines"].body_text and "MIME" in texts["Ines"].error
    assert "trop gros" in texts["Lea"].error and len(texts["Lea"].body_text) < 2000
    assert receive(world.org_a.pk, eml("reply_quoted.eml", **{"from": "lea@lea.example", "to": "x@y.z",
                                                               "in_reply_to": ""})) is None  # same Message-ID: once


def test_a_detected_article_stops_the_due_reminder_at_send_time(world, smtp):
    setup_org(world, smtp)
    placements = shortlisted(world, yogurt(world), ["Lea"])
    pitch(placements)
    send_due(TUESDAY_10)
    later = timezone.now() + timedelta(days=8)
    apply(plan(later), later)
    reminder = Message.objects.get(step="no_answer")
    assert reminder.status == MessageStatus.QUEUED
    # The veille finds the article between the scheduling and the sending.
    post = Post.objects.get(blog=placements[0].blog)
    Coverage.objects.create(post=post, operation=placements[0].operation, placement=placements[0])
    report = send_due(TUESDAY_10 + timedelta(days=8))
    reminder.refresh_from_db()
    assert report.sent == 0 and reminder.status == MessageStatus.CANCELLED and reminder.error == "article détecté"
    assert len(smtp.received) == 1


def test_it_caps_follow_ups_and_records_every_held_one(world, smtp, settings):
    settings.OUTREACH_FOLLOWUP_CAP = 0
    setup_org(world, smtp)
    placements = shortlisted(world, yogurt(world), ["Lea"])
    pitch(placements)
    send_due(TUESDAY_10)
    later = timezone.now() + timedelta(days=8)
    decision = plan(later)[0]
    assert decision.action == "hold" and "plafond" in decision.reason
    Operation.objects.update(status=OperationStatus.CLOSED)
    assert plan(later) == []  # a closed operation sends nothing


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_after_claiming_sends_the_mail_exactly_once(world, smtp, postgres):
    """A real process claims the mail, then is killed while the SMTP server stalls; the next pass sends it once.
    (PostgreSQL pass: the sender runs in another process and must reach the test database.)"""
    # A server that accepts the connection and never greets: the sender has claimed the mail and waits.
    stall = socket.socket()
    stall.bind(("127.0.0.1", 0))
    stall.listen(8)
    sender = setup_org(world, smtp, send_weekends=True, send_from_hour=0, send_until_hour=24)  # real clock
    MailSettings.objects.filter(pk=sender.pk).update(smtp_port=stall.getsockname()[1])
    pitch(shortlisted(world, yogurt(world), ["Lea"]))
    Message.objects.update(send_after=None)
    env = worker_env(postgres, AMBASSADE_OUTREACH_LEASE_SECONDS="5", AMBASSADE_TIME_ZONE="Europe/Paris")
    process = subprocess.Popen([sys.executable, "-m", "ambassade", "send_mail"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Message.objects.filter(status=MessageStatus.SENDING).exists():
        time.sleep(0.1)
    assert Message.objects.filter(status=MessageStatus.SENDING).exists(), process.stderr.read1().decode()
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    stall.close()
    MailSettings.objects.filter(pk=sender.pk).update(smtp_port=smtp.port)
    assert Message.objects.get().handed_at is None
    assert send_due(timezone.now()).sent == 0  # the dead sender's lease still holds: nobody sends it twice
    assert not smtp.received
    Message.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    report = send_due(timezone.now())
    assert report.sent == 1 and len(smtp.received) == 1
    assert Message.objects.get().status == MessageStatus.SENT


def test_a_mail_handed_to_the_server_by_a_sender_that_died_is_never_sent_again_blindly(world, smtp):
    setup_org(world, smtp)
    pitch(shortlisted(world, yogurt(world), ["Lea"]))
    Message.objects.update(status=MessageStatus.SENDING, handed_at=timezone.now(),
                           lease_until=timezone.now() - timedelta(seconds=1))
    report = send_due(TUESDAY_10)
    message = Message.objects.get()
    assert report.sent == 0 and not smtp.received
    assert message.status == MessageStatus.UNCERTAIN and "vérifiez" in message.error


def test_an_address_the_server_cannot_take_fails_with_a_clear_error_and_the_pass_goes_on(world, smtp):
    setup_org(world, smtp)
    placements = shortlisted(world, yogurt(world), ["Lea", "Julie"])
    BloggerEmail.objects.filter(address="lea@lea.example").update(address="léa@lea.example", address_key="léa@lea.example")
    pitch(placements)
    Message.objects.filter(placement=placements[0]).update(to_address="léa@lea.example")
    report = send_due(TUESDAY_10)
    assert report.sent == 1 and len(smtp.received) == 1
    failed = Message.objects.get(placement=placements[0])
    assert failed.status == MessageStatus.FAILED and "léa@lea.example" in failed.error


def test_the_no_article_reminder_waits_while_the_veille_cannot_read_the_blog(world, smtp, client):
    """"Avez-vous publié ?" never goes to a blog the veille is not reading: it waits, and the dashboard says why."""
    from django.urls import reverse

    from ambassade.watch.models import Feed

    setup_org(world, smtp)
    placement = shortlisted(world, yogurt(world), ["Lea"])[0]
    pitch([placement])
    send_due(TUESDAY_10)
    placement.refresh_from_db()
    Supply.objects.get_or_create(operation=placement.operation, product=world.product)
    for status in (Status.ACCEPTED, Status.SHIPPED, Status.RECEIVED):
        ledger.move(placement, status)
    feed = Feed.objects.create(blog=placement.blog, url="https://lea.example/feed/", error_count=4,
                               last_error="HTTP 503", last_success_at=timezone.now() - timedelta(days=20))
    later = timezone.now() + timedelta(days=60)

    def no_article():
        return next(d for d in plan(later) if d.template.kind == TemplateKind.NO_ARTICLE)

    decision = no_article()
    assert decision.action == "wait" and "4 fois de suite : HTTP 503" in decision.reason
    assert apply([decision], later)["waiting"] == 1
    assert not Message.objects.filter(placement=placement, step="no_article").exists()  # not decided for good
    client.force_login(world.member)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "blogs que la veille ne lit pas" in dashboard and "Blog de Lea" in dashboard

    feed.error_count, feed.last_success_at = 0, later  # the veille reads the blog again
    feed.save()
    assert no_article().action == "send"
    assert "blogs que la veille ne lit pas" not in client.get(reverse("dashboard")).content.decode()
