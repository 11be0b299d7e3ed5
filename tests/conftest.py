"""Shared fixtures. Every test world has two organisations: A holds the data,
and B's user must never see any of it."""

import os
import socket
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from ambassade.accounts.models import Membership, Organisation, Role
from ambassade.blogs.models import Blog, Blogger, BloggerEmail
from ambassade.campaigns.models import Client, Operation, Placement
from ambassade.logistics.models import MovementKind, Product, StockMovement

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip with a reason on a laptop without the service; fail in CI, where it must exist."""
    if service_reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(message + " (CI must run this test)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each run gets a PostgreSQL test database of its own: two runs on one server (two
    engineers, two CI jobs) used to drop each other's `test_ambassade` half-way."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        host = socket.gethostname()[:20]
        run = os.environ.get("AMBASSADE_TEST_RUN") or f"{host}_{os.getpid()}"
        name = f"test_{database['NAME']}_{run}".lower().replace("-", "_").replace(".", "_")[:63]
        database.setdefault("TEST", {})["NAME"] = name
        _drop_abandoned_test_databases(database, f"test_{database['NAME']}_{host}_".lower().replace("-", "_"))


def _drop_abandoned_test_databases(database: dict, prefix: str) -> None:
    """A run killed half-way leaves its database behind: drop those of this machine whose
    process is gone (a run still going keeps its own)."""
    import psycopg

    try:
        with psycopg.connect(host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
                             password=database.get("PASSWORD") or None, dbname="postgres", autocommit=True,
                             connect_timeout=5) as maintenance:
            names = [row[0] for row in maintenance.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])]
            for name in names:
                pid = name[len(prefix):]
                if pid.isdigit() and not _alive(int(pid)):
                    maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass  # housekeeping only: the run itself reports a database it cannot reach


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture(scope="session", autouse=True)
def _close_lingering_sessions(request):
    """On PostgreSQL, a connection left open by a server thread (the live server, a worker run
    in the test process) stopped the test database from being dropped at the end. Set up
    after the test database (so torn down before it), this closes them."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        yield
        return
    request.getfixturevalue("django_db_setup")
    yield
    django_db_blocker = request.getfixturevalue("django_db_blocker")
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Real hashing costs ~0.3 s a user; what is tested here is access, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A cache of its own per test: the login throttle and the portal's rate limit count
    # there, and a count left by another test must not lock this one out.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"test-{uuid.uuid4().hex}"}}
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # axes keeps the cache it was built with: rebuild it


def make_user(username, organisation, role=Role.MEMBER, client=None):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-" + username)
    Membership.objects.create(user=user, organisation=organisation, role=role, client=client)
    return user


@pytest.fixture
def world(db):
    """Organisation A with a client, a blog, a blogger, an operation, a placement and a product."""
    org_a = Organisation.objects.create(name="Agence A", slug="agence-a")
    org_b = Organisation.objects.create(name="Agence B", slug="agence-b")
    client = Client.objects.create(organisation=org_a, name="Laiterie Delacour")
    other_client = Client.objects.create(organisation=org_a, name="Maison Azur")
    blog = Blog.objects.create(organisation=org_a, url="https://cuisine-de-lea.example/", name="La cuisine de Léa")
    blogger = Blogger.objects.create(organisation=org_a, blog=blog, first_name="Léa", source="test")
    BloggerEmail.objects.create(organisation=org_a, blogger=blogger, address="lea@cuisine-de-lea.example")
    operation = Operation.objects.create(organisation=org_a, client=client, name="Goûters", brand="Delacour")
    other_operation = Operation.objects.create(organisation=org_a, client=other_client, name="Hydra", brand="Azur")
    placement = Placement.objects.create(operation=operation, blog=blog)
    product = Product.objects.create(organisation=org_a, client=client, sku="DLC-1", name="Brassé Vanille")
    StockMovement.objects.create(product=product, kind=MovementKind.RECEIVED, quantity=5)

    class World:
        pass

    w = World()
    w.org_a, w.org_b, w.client, w.blog, w.blogger = org_a, org_b, client, blog, blogger
    w.operation, w.other_operation, w.placement, w.product = operation, other_operation, placement, product
    w.owner = make_user("owner_a", org_a, Role.OWNER)
    w.member = make_user("member_a", org_a, Role.MEMBER)
    w.viewer = make_user("viewer_a", org_a, Role.CLIENT_VIEWER, client=client)
    w.outsider = make_user("owner_b", org_b, Role.OWNER)
    return w


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def postgres():
    """The test database's URL, for processes started by a test; PostgreSQL only (the SQLite test
    database lives in memory, out of another process's reach)."""
    if connection.vendor != "postgresql":
        if IN_CI and not os.environ.get("DATABASE_URL"):
            pytest.skip("runs in the PostgreSQL pass of `make test`, which CI requires")
        pytest.skip("needs PostgreSQL (another process must reach the test database): runs in the PostgreSQL pass of `make test`")
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def worker_env(database_url: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "AMBASSADE_FARM_ALLOWED": "1",
           "AMBASSADE_WATCH_HOST_DELAY_MS": "0", "AMBASSADE_WATCH_NEW_POSTS_PER_CHECK": "1",
           "AMBASSADE_TASKS": "db", **extra}
    env.pop("PYTEST_CURRENT_TEST", None)
    return env




def as_sent(message) -> str:
    """A stored mail's text as it leaves: its placeholders become the person's live links."""
    from ambassade.outreach.compose import mail_settings
    from ambassade.outreach.sender import build

    return build(message, mail_settings(message.organisation)).body
