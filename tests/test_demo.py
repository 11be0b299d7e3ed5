import pytest
from django.urls import reverse

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
