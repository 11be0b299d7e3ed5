"""Accounts under attack (issue 13, rows 9 and 10): the public development key is refused
outside the demo and the tests, logins are throttled per account and per address, the
portal counts clients (not the proxy in front of them) in a cache every process shares,
and pages carry a Content-Security-Policy with no inline script, and HSTS over HTTPS."""

import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import ROOT, make_user

pytestmark = pytest.mark.django_db

PROBE = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.CACHES['default']['BACKEND'])"


def settings_in_a_fresh_process(*args, **env):
    """Settings as a deployment reads them: no pytest, only what the environment says."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("AMBASSADE_", "PYTEST_", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="ambassade.settings", AMBASSADE_DATA_DIR=str(ROOT / "var"), **env)
    command = [sys.executable, "-m", "ambassade", *args] if args else \
        [sys.executable, "-c", "import django; django.setup(); " + PROBE]
    return subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_row9_the_development_key_is_refused_unless_asked_for():
    refused = settings_in_a_fresh_process()
    assert refused.returncode != 0 and "AMBASSADE_SECRET_KEY" in refused.stderr
    assert settings_in_a_fresh_process(AMBASSADE_SECRET_KEY="k" * 50).returncode == 0
    assert settings_in_a_fresh_process(AMBASSADE_ALLOW_DEV_SECRET="1").returncode == 0
    assert settings_in_a_fresh_process("demo", "--help").returncode == 0  # the demo runs anywhere


def test_hsts_comes_with_secure_cookies_and_the_cache_is_shared_by_default():
    plain = settings_in_a_fresh_process(AMBASSADE_SECRET_KEY="k" * 50)
    assert plain.stdout.split() == ["0", "django.core.cache.backends.db.DatabaseCache"]
    secure = settings_in_a_fresh_process(AMBASSADE_SECRET_KEY="k" * 50, AMBASSADE_SECURE_COOKIES="1",
                                         AMBASSADE_REDIS_CACHE_URL="redis://127.0.0.1:6379/3")
    assert secure.stdout.split() == ["31536000", "django.core.cache.backends.redis.RedisCache"]


def login(client, username, password, address="198.51.100.7", **meta):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **meta)


def test_row10_wrong_passwords_lock_the_account_then_the_right_one_is_refused(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        assert login(client, "member_a", "wrong").status_code in (200, 429)
    refused = login(client, "member_a", "pw-member_a", address="203.0.113.50")  # even from elsewhere
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_row10_one_address_guessing_many_accounts_is_locked_out(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(5):
        login(client, f"someone{n}", "wrong")
    assert login(client, "owner_a", "pw-owner_a").status_code == 429
    # Another address, another account: unaffected.
    assert login(client, "member_a", "pw-member_a", address="203.0.113.9").status_code == 302


def test_a_success_before_the_limit_clears_the_count(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    login(client, "member_a", "wrong")
    login(client, "member_a", "wrong")
    assert login(client, "member_a", "pw-member_a").status_code == 302


def test_row10_behind_a_proxy_the_portal_counts_each_client_not_the_proxy(client, world, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.1/32")]
    guesser = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    statuses = [client.get(reverse("portal", args=[f"guess{i}"]), **guesser).status_code for i in range(25)]
    assert statuses[-1] == 429
    # Another blogger behind the same proxy is not locked out by the guesser.
    other = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.44, 203.0.113.77"}
    assert client.get(reverse("portal", args=["guess-x"]), **other).status_code == 404
    # A client that writes its own X-Forwarded-For is still counted by its address.
    forged = [client.get(reverse("portal", args=[f"g{i}"]), REMOTE_ADDR="198.51.100.3",
                         HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code for i in range(25)]
    assert forged[-1] == 429


def test_row10_the_portal_limit_is_shared_by_every_web_process(world, settings):
    """Two web processes = two cache connections: with the database cache they see one count."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.test import RequestFactory

    from ambassade.portal import ratelimit

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "ambassade_cache"}}
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.8")
    for _ in range(ratelimit.FAILURES):
        ratelimit.failed(request)
    other_process = DatabaseCache("ambassade_cache", {})
    assert other_process.get("portal:fail:203.0.113.8") == ratelimit.FAILURES
    assert ratelimit.blocked(request)
    caches["default"].clear()


def test_row10_pages_carry_a_csp_without_inline_scripts(client, world):
    client.force_login(world.member)
    response = client.get(reverse("dashboard"))
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy


def test_no_template_relies_on_an_inline_script():
    inline = re.compile(r"\son[a-z]+\s*=|<script(?![^>]*\ssrc=)|javascript:", re.IGNORECASE)
    offenders = [str(path.relative_to(ROOT)) for path in Path(ROOT / "ambassade").rglob("*.html")
                 if inline.search(path.read_text())]
    assert offenders == []


def test_hsts_is_sent_over_https_when_configured(client, world, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert "max-age=31536000" in client.get(reverse("login"), secure=True).headers["Strict-Transport-Security"]


def test_a_nul_byte_in_any_form_field_never_reaches_the_database(client, world):
    make_user("nul_user", world.org_a)
    assert login(client, "nul_user\x00", "pw-nul_user").status_code == 302
    client.force_login(world.member)
    assert client.get(reverse("blog_list"), {"q": "cuisine\x00"}).status_code == 200
