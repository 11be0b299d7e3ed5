"""French a French reader does not notice: every page of the demo, as the CM walks it, is proofread
for the mistakes machines make ("mail(s)", "de Emma", « « doubled guillemets », "il y a 0 minute", "+0.28")."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser

from ambassade.farm.demo_data import DEMO_USER, load_demo
from ambassade.lib.french import count, elide

from .test_trust import _id_urls

MISTAKES = {
    "a '(s)' plural": re.compile(r"\w\((?:s|e|es|x)\)"),
    "no elision before a vowel": re.compile(r"\b(?:[Dd]e|[Qq]ue) [AEIOUYÀÂÉÈÊÎÔÛ][a-zàâäéèêëîïôöûüç]"),
    "doubled guillemets": re.compile(r"«\s*«|»\s*»"),
    "zero time ago": re.compile(r"il y a 0\b"),
    "a capitalised month": re.compile(r"\b\d{1,2} (?:Janv?|Févr?|Mars|Avr|Juil|Août|Sept?|Oct|Nov|Déc)\b"),
    # A standard's version is its name, not a decimal: "OAuth 2.0" stays as written.
    "a decimal point": re.compile(r"(?<![\w.])(?<!OAuth )[+-]?\d+\.\d+(?![\w.])"),
}


def _text(page: str) -> str:
    page = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)  # attributes (URLs, values) are not read
    return " ".join(html.unescape(page).split())


def test_the_helpers_write_french():
    assert elide("Le nid de Emma") == "Le nid d'Emma" and elide("parce que Inès") == "parce qu'Inès"
    assert elide("La cuisine de Léa") == "La cuisine de Léa"
    assert count(0, "mail lu", "mails lus") == "0 mail lu" and count(2, "mail lu", "mails lus") == "2 mails lus"


@pytest.mark.django_db
def test_every_page_of_the_demo_reads_as_french():
    load_demo()
    cm = Browser()
    cm.force_login(get_user_model().objects.get(username=DEMO_USER))
    urls = ["/", "/operations/", "/blogs/", "/blogueurs/", "/relances/", "/produits/", "/clients/", "/equipe/",
            "/reglages/mail/", "/imports/", *(f"/{u}" for u in _id_urls())]
    found, pages = [], 0
    for url in urls:
        response = cm.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        text = _text(response.content.decode())
        for mistake, pattern in MISTAKES.items():
            for match in pattern.finditer(text):
                found.append(f"{url}: {mistake}: …{text[max(match.start() - 30, 0):match.end() + 30]}…")
    assert pages > 50
    assert not found, "\n".join(found[:40])


def test_the_english_catalogue_translates_every_string_and_is_compiled():
    """French is the source; every msgid has an English msgstr, none fuzzy, and the .mo is not stale."""
    from pathlib import Path

    locale = Path(__file__).resolve().parent.parent / "ambassade" / "locale" / "en" / "LC_MESSAGES"
    entries = (locale / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]  # the header first
    untranslated = []
    for entry in entries:
        if entry.lstrip().startswith("#~"):
            continue
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.M):
            untranslated.append(entry.strip().splitlines()[-2 if "msgid_plural" not in entry else -3][:80])
    assert not untranslated, untranslated[:10]
    assert (locale / "django.mo").stat().st_mtime >= (locale / "django.po").stat().st_mtime - 1
