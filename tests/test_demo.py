import pytest
from django.urls import reverse
from django.utils import timezone

from ambassade.blogs.models import Blog
from ambassade.campaigns.models import Client, Operation, Placement
from ambassade.farm.demo_data import DEMO_USER, load_demo
from ambassade.logistics.models import Product

pytestmark = pytest.mark.django_db


def test_it_loads_a_realistic_demo_once():
    org = load_demo()
    assert Client.objects.filter(organisation=org).count() == 2
    assert Blog.objects.filter(organisation=org).count() == 60
    operations = Operation.objects.filter(organisation=org)
    assert operations.count() == 3
    stages = {op.name: set(op.placements.values_list("status", flat=True)) for op in operations}
    assert any("published" in s for s in stages.values())
    assert any(s == {"candidate"} for s in stages.values())
    assert len({frozenset(s) for s in stages.values()}) == 3  # three operations, three stages
    # Every placement's history walks the machine from the start.
    for placement in Placement.objects.filter(operation__organisation=org).exclude(status="candidate"):
        events = list(placement.events.all())
        assert events[0].from_status == "candidate" and events[-1].to_status == placement.status
    # Stock is the ledger: shipped units left the stock, accepted ones are reserved, each parcel is a row.
    yogurt = Product.objects.get(sku="DLC-BV-6")
    shipped = yogurt.movements.filter(kind="shipped").count()
    accepted = Placement.objects.filter(operation__name__startswith="Goûters", status="accepted").count()
    assert shipped == yogurt.shipments.count() > 0 and accepted > 0
    assert yogurt.stock == 30 - shipped - accepted
    load_demo()
    assert Blog.objects.filter(organisation=org).count() == 60


def test_it_shows_the_demo_dashboard(client):
    load_demo()
    client.login(username=DEMO_USER, password="ambassade-demo")
    body = client.get(reverse("dashboard")).content.decode()
    assert "Goûters d&#x27;hiver" in body or "Goûters d'hiver" in body
    assert "Colis à préparer" in body


@pytest.mark.django_db(transaction=True)
def test_the_demo_command_serves_with_the_wsgi_server_and_stops_on_sigterm(tmp_path):
    """`ambassade demo` as the README runs it: banner only once the port answers, pages and static files
    served by gunicorn (not the development server), a clean stop."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    def free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    web, farm = free_port(), free_port()
    env = {**os.environ, "AMBASSADE_DATA_DIR": str(tmp_path), "AMBASSADE_FARM_PORT": str(farm),
           "DATABASE_URL": "", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL")
    demo = subprocess.Popen([sys.executable, "-m", "ambassade", "demo", "--addr", f"127.0.0.1:{web}"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline, lines = time.monotonic() + 180, []
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            lines.append(line)
            if "Ambassade tourne sur" in line or demo.poll() is not None:
                break
        assert "Ambassade tourne sur" in "".join(lines), "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/connexion/", timeout=30) as page:  # no retry needed
            assert page.status == 200 and "gunicorn" in page.headers.get("Server", "")
            assert "Se connecter" in page.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/static/css/app.css", timeout=30) as css:
            assert css.status == 200
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        out, _ = demo.communicate(timeout=30)
    assert demo.returncode == 0 and "Démo arrêtée." in out


def test_the_demo_s_article_links_open_the_articles_on_the_farm():
    """A CM clicking an article in the demo's history lands on that article, on the farm, which the
    farm's own process grows again from what load_demo recorded."""
    import http.client
    from urllib.parse import urlsplit

    from ambassade.farm.demo_data import load_demo, replay_demo_articles
    from ambassade.farm.server import FarmThread
    from ambassade.watch.models import Coverage

    today = timezone.localdate()
    load_demo(today)
    published = list(Coverage.objects.filter(status="confirmed").select_related("post"))
    assert len(published) >= 3
    assert {c.post.disclosure for c in published} >= {"gifted", "sponsored", "none"}
    with FarmThread(count=60, seed=42, today=today) as farm:
        assert replay_demo_articles(farm.farm) == len(published)
        for coverage in published:
            url = urlsplit(coverage.post.url)
            connection = http.client.HTTPConnection("127.0.0.1", farm.port, timeout=10)
            connection.request("GET", url.path, headers={"Host": url.netloc})
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            connection.close()
            assert response.status == 200, coverage.post.url
            assert coverage.post.title in page.replace("&#x27;", "'").replace("&#39;", "'")
            operation = coverage.placement.operation
            assert operation.product_names[0] in coverage.post.title or operation.brand in coverage.post.title


@pytest.mark.parametrize("weekday", range(7))
def test_the_demo_s_history_happens_on_working_days_in_order_and_in_the_past(weekday):
    """Whatever day the demo is loaded on: no pitch "sent" on a Sunday, no reply in the same minute
    as its pitch, nothing in the future."""
    from datetime import timedelta

    from ambassade.campaigns.models import PlacementEvent
    from ambassade.outreach.models import Message

    today = timezone.localdate()
    today -= timedelta(days=(today.weekday() - weekday) % 7)
    load_demo(today)
    now = timezone.now()
    events = PlacementEvent.objects.filter(placement__operation__organisation__slug="plume-et-pixel")
    assert events.exists()
    for event in events:
        assert timezone.localtime(event.at).weekday() < 5, (event, event.at)
        assert event.at <= now
    for placement in Placement.objects.all():
        moments = list(placement.events.order_by("id").values_list("at", flat=True))
        assert moments == sorted(moments) and len(set(moments)) == len(moments), placement
    for message in Message.objects.all():
        when = message.sent_at or message.received_at
        assert when is None or timezone.localtime(when).weekday() < 5, message
