"""Hostile mails (issue 13, rows 4 and 5): a NUL byte does not stop the mailbox on
PostgreSQL, a mail that fails is set aside and the mailbox moves on, and no header can
make the parser eat the machine's memory.

The mailbox is a stand-in for IMAPClient: what is tested is what `poll` does with
what the server hands it, one UID after the other.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from ambassade.outreach import inbox
from ambassade.outreach.inbox import poll
from ambassade.outreach.mailparse import parse
from ambassade.outreach.models import Direction, MailSettings, Message, Security

from .conftest import ROOT

pytestmark = pytest.mark.django_db


def mail(subject: str, body: str, n: int) -> bytes:
    return (f"From: Blogueuse {n} <b{n}@blog.example>\r\nTo: claire@plume.example\r\n"
            f"Subject: {subject}\r\nMessage-ID: <m{n}@blog.example>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


class FakeMailbox:
    """The few IMAPClient calls `poll` makes, over a list of raw mails (UID = rank + 1)."""

    def __init__(self, mails: list[bytes]):
        self.mails = mails

    def __call__(self, *args, **kwargs):
        return self

    def login(self, *args):
        pass

    def starttls(self):
        pass

    def logout(self):
        pass

    def select_folder(self, *args, **kwargs):
        return {b"UIDVALIDITY": 7}

    def search(self, criteria):
        first = int(criteria[1].split(":")[0])
        return [uid for uid in range(1, len(self.mails) + 1) if uid >= first]

    def fetch(self, uids, parts):
        if parts == ["RFC822.SIZE"]:
            return {uid: {b"RFC822.SIZE": len(self.mails[uid - 1])} for uid in uids}
        return {uid: {b"BODY[]": self.mails[uid - 1]} for uid in uids}


@pytest.fixture
def mailbox(world, monkeypatch):
    monkeypatch.setenv("AMBASSADE_TEST_IMAP_PASSWORD", "secret")

    def install(mails):
        monkeypatch.setattr(inbox, "IMAPClient", FakeMailbox(mails))
        return MailSettings.objects.create(
            organisation=world.org_a, from_name="Claire", from_address="claire@plume.example",
            smtp_host="127.0.0.1", imap_host="127.0.0.1", imap_port=1, imap_security=Security.NONE,
            imap_username="claire", imap_password_env="AMBASSADE_TEST_IMAP_PASSWORD")

    return install


def inbound():
    return list(Message.objects.filter(direction=Direction.INBOUND).order_by("id"))


def test_row4_a_nul_byte_in_a_header_or_the_body_does_not_stop_the_mailbox(mailbox):
    settings = mailbox([
        mail("Bonjour", "Premier message.", 1),
        mail("Colis\x00 reçu", "Merci\x00 pour le colis\x01 !", 2),
        mail("Encore moi", "Troisième message.", 3),
    ])
    report = poll(settings)
    assert report.read == 3
    assert [m.subject for m in inbound()] == ["Bonjour", "Colis reçu", "Encore moi"]
    assert inbound()[1].body_text == "Merci pour le colis !"
    settings.refresh_from_db()
    assert settings.imap_last_uid == 3


def test_a_mail_that_fails_is_set_aside_with_its_problem_and_the_mailbox_moves_on(mailbox, monkeypatch):
    settings = mailbox([mail("Un", "un", 1), mail("Piège", "deux", 2), mail("Trois", "trois", 3)])
    real_match = inbox._match

    def match(organisation_id, parsed):
        if parsed.subject == "Piège":
            raise RuntimeError("cas imprévu")
        return real_match(organisation_id, parsed)

    monkeypatch.setattr(inbox, "_match", match)
    report = poll(settings)
    assert report.read == 3
    kept = inbound()
    assert len(kept) == 3
    assert "mis de côté" in kept[1].error and "cas imprévu" in kept[1].error
    assert "Subject: Piège" in kept[1].body_text  # nothing lost: the mail is there to read
    settings.refresh_from_db()
    assert settings.imap_last_uid == 3


# --- row 5: headers are bounded before parsing -------------------------------------------

HOSTILE = """
import os, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))  # the machine stays safe
os.environ["DJANGO_SETTINGS_MODULE"] = "ambassade.settings"
import django
django.setup()
from ambassade.outreach.mailparse import parse
words = "\\r\\n ".join("=?utf-8?q?caf=C3=A9_cr=C3=A8me?=" for _ in range(50_000))
raw = ("From: x@spam.example\\r\\nTo: claire@plume.example\\r\\nSubject: " + words
       + "\\r\\nMessage-ID: <bomb@spam.example>\\r\\n\\r\\nBonjour\\r\\n").encode()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
mail = parse(raw)
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(len(raw), round(grown, 1), round(time.monotonic() - started, 2), mail.message_id, mail.problems)
"""


def test_row5_fifty_thousand_encoded_words_cost_a_few_megabytes_not_the_machine():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(HOSTILE)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    size, grown_mib, _seconds, message_id, problems = done.stdout.split(" ", 4)
    assert int(size) > 1_000_000
    assert float(grown_mib) < 20, f"the parse grew the process by {grown_mib} MiB"
    assert message_id == "<bomb@spam.example>"  # the other headers are still read
    assert "Subject" in problems


def test_a_long_subject_is_cut_and_said_not_lost():
    words = " ".join(f"=?utf-8?q?mot{n}?=" for n in range(500))
    parsed = parse(mail(words, "Bonjour", 1))
    assert parsed.subject.startswith("mot0mot1")  # adjacent encoded words join without space
    assert any("Subject" in problem and "tronqué" in problem for problem in parsed.problems)
    assert parsed.text == "Bonjour"
