import pytest
from django.core.exceptions import ImproperlyConfigured

from ambassade.lib.env import env_bool, env_int, env_list
from ambassade.lib.text import InvalidURL, normalize_blog_url, normalize_email


def test_it_fails_loudly_on_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("AMBASSADE_X", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="AMBASSADE_X"):
        env_bool("AMBASSADE_X", False)


def test_it_fails_loudly_on_a_malformed_number(monkeypatch):
    monkeypatch.setenv("AMBASSADE_N", "dix")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("AMBASSADE_N", 1)
    monkeypatch.setenv("AMBASSADE_N", "-3")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("AMBASSADE_N", 1, minimum=0)


def test_it_reads_lists_and_defaults(monkeypatch):
    monkeypatch.setenv("AMBASSADE_L", " a.example , b.example,,")
    assert env_list("AMBASSADE_L", []) == ["a.example", "b.example"]
    monkeypatch.delenv("AMBASSADE_L")
    assert env_list("AMBASSADE_L", ["x"]) == ["x"]


@pytest.mark.parametrize("raw", [
    "https://www.Blog-de-Lea.fr/", "http://blog-de-lea.fr", "blog-de-lea.fr/",
    "https://blog-de-lea.fr/?utm_source=newsletter#top", "HTTPS://BLOG-DE-LEA.FR:443",
])
def test_it_gives_one_key_to_every_spelling_of_a_blog(raw):
    assert normalize_blog_url(raw) == "blog-de-lea.fr"


def test_it_keeps_what_identifies_a_page():
    assert normalize_blog_url("https://lea.canalblog.com/archives/?p=3") == "lea.canalblog.com/archives?p=3"
    assert normalize_blog_url("https://café-crème.fr/") == "xn--caf-crme-60ag.fr"
    with pytest.raises(InvalidURL):
        normalize_blog_url("javascript:alert(1)")
    assert normalize_email("  Léa@Exemple.FR ") == "léa@exemple.fr"


@pytest.mark.django_db
def test_it_runs_sqlite_in_wal_mode_with_foreign_keys():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas only apply to the embedded database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA journal_mode")
        # The test database lives in memory, where SQLite reports "memory" instead of "wal".
        assert cursor.fetchone()[0] in ("wal", "memory")
