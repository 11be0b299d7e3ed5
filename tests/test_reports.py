"""The client report: only measured figures, a reason for every blogger without an article, the same
content in the page, the PDF, the XLSX and the CSV, and a client link that is read-only, scoped,
expiring and revocable."""

import csv
import html
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ambassade.accounts.links import create_link
from ambassade.accounts.models import ClientLink
from ambassade.campaigns.models import Client, Operation
from ambassade.farm.demo_data import load_demo
from ambassade.logistics.models import Shipment
from ambassade.reports.data import operation_report
from ambassade.reports.templatetags.report import euros


@pytest.fixture
def demo(db):
    org = load_demo()
    return Operation.objects.get(organisation=org, name__startswith="Goûters")


def test_the_report_gives_measured_figures_and_a_reason_for_every_blogger(demo):
    report = operation_report(demo)
    shipments = Shipment.objects.filter(placement__operation=demo)
    assert report.units_shipped == sum(s.quantity for s in shipments) == 7
    assert report.total_cost == sum((s.total_cost for s in shipments), Decimal(0))
    assert len(report.articles) == 3 and report.cost_per_article == (report.total_cost / 3).quantize(Decimal("0.01"))
    # The comments the veille counted under each article (the farm's posts carry them).
    from ambassade.watch.models import Post

    counted = sum(Post.objects.filter(coverages__operation=demo).values_list("comment_count", flat=True))
    with_comments = Post.objects.filter(coverages__operation=demo, comment_count__isnull=False).count()
    assert report.undisclosed == 1 and report.comments_measured == counted > 0
    assert report.articles_with_comments == with_comments
    funnel = {stage: count for stage, _label, count in report.funnel}
    assert funnel["shortlisted"] >= funnel["pitched"] >= funnel["replied"] >= funnel["accepted"]
    assert funnel["shipped"] >= funnel["received"] >= funnel["published"] == 3
    outcomes = {b.blog: b.outcome for b in report.bloggers}
    assert sum(o.startswith("article publié") for o in outcomes.values()) == 3
    assert any(o.startswith("a décliné : « Je ne mange pas de produits laitiers") for o in outcomes.values())
    assert any("réception non confirmée" in o for o in outcomes.values())
    assert any(o.startswith("colis reçu ") and "pas d'article" in o for o in outcomes.values())
    assert any(o.startswith("pas de réponse après 1 relance") for o in outcomes.values())
    for line in report.bloggers:
        assert line.outcome and line.timeline, line.blog


def _needs_pango():
    from .conftest import IN_CI

    try:
        import weasyprint  # noqa: F401
    except OSError:
        if IN_CI:
            raise
        pytest.skip("WeasyPrint needs Pango: apt install libpango-1.0-0 libpangoft2-1.0-0 (.ci/run does)")


def test_the_pdf_xlsx_and_csv_carry_the_same_figures(demo, tmp_path):
    _needs_pango()
    report = operation_report(demo)
    pdf_path, xlsx_path, csv_path = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.csv"
    for fmt, path in (("pdf", pdf_path), ("xlsx", xlsx_path), ("csv", csv_path)):
        said = io.StringIO()
        call_command("report", str(demo.pk), "--format", fmt, "-o", str(path), stdout=said)
        size = path.stat().st_size
        # "30 073 octets": French groups thousands with a narrow no-break space, never a comma.
        assert said.getvalue().strip().endswith(f"{size:,} octets ({fmt}).".replace(",", "\u202f"))
    # Words as the PDF holds them, whatever the line breaks of the layout.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages).split())
    assert "Goûters d'hiver — Brassé Vanille" in text
    assert "Coût par article publié" in text
    assert " ".join(euros(report.cost_per_article).split()) in text
    assert "Produit offert non signalé" in text and "Je ne mange pas de produits laitiers" in text
    for article in report.articles:
        assert article.blog in text
    book = load_workbook(xlsx_path)
    summary = {row[0].value: row[1].value for row in book["Synthèse"].iter_rows() if row[0].value}
    assert summary["Articles publiés"] == 3 and summary["Produits expédiés"] == 7
    assert summary["Coût par article publié (€)"] == pytest.approx(float(report.cost_per_article))
    assert summary["Articles publiés"] == len(list(book["Articles"].iter_rows(min_row=2)))
    assert [r[7].value for r in book["Articles"].iter_rows(min_row=2)].count("OUI") == 1
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Blog", "Adresse du blog"] and len(rows) - 1 == len(report.bloggers)
    with pytest.raises(Exception, match="Aucune opération"):
        call_command("report", "999999", "-o", str(tmp_path / "x.pdf"), stdout=io.StringIO())


def test_staff_and_client_viewers_see_only_their_client_s_reports(client, demo):
    from django.contrib.auth import get_user_model

    from ambassade.accounts.models import Membership, Organisation, Role

    url = reverse("operation_report", args=[demo.pk])
    assert client.get(url).status_code == 302
    client.login(username="client.delacour", password="ambassade-demo")
    page = client.get(url)
    assert page.status_code == 200 and "Coût par article publié" in page.content.decode()
    azur_op = Operation.objects.get(name="Lancement Crème Hydra Rose")
    assert client.get(reverse("operation_report", args=[azur_op.pk])).status_code == 404
    assert client.get(url, {"format": "pdf"})["Content-Type"] == "application/pdf"
    other = Organisation.objects.create(name="Autre agence", slug="autre")
    stranger = get_user_model().objects.create_user("stranger", password="pw")
    Membership.objects.create(user=stranger, organisation=other, role=Role.OWNER)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("client_report", args=[demo.client_id])).status_code == 404


def test_a_client_link_shows_only_that_client_and_stops_when_revoked_or_expired(client, demo):
    client.login(username="claire", password="ambassade-demo")
    response = client.post(reverse("client_links", args=[demo.client_id]), {"label": "Direction marketing", "days": "30"},
                           follow=True)
    shown = response.content.decode()
    assert "Nouveau lien" in shown
    link_url = shown.split('<code class="new-link">')[1].split("</code>")[0]
    path = link_url.split("testserver", 1)[1]
    assert "Nouveau lien" not in client.get(reverse("client_report", args=[demo.client_id])).content.decode()  # once
    client.logout()
    page = client.get(path)
    shown = html.unescape(page.content.decode())
    assert page.status_code == 200 and "Goûters d'hiver" in shown
    assert "Lancement Crème Hydra Rose" not in shown  # another client's operation
    assert client.get(f"{path}operations/{demo.pk}/").status_code == 200
    azur_op = Operation.objects.get(name="Lancement Crème Hydra Rose")
    assert client.get(f"{path}operations/{azur_op.pk}/").status_code == 404
    assert client.get(f"{path}operations/{demo.pk}/", {"format": "xlsx"}).status_code == 200
    assert client.get(path.replace(path.split("/")[2][-6:], "AAAAAA")).status_code == 404  # tampered
    link = ClientLink.objects.get()
    assert link.uses >= 3 and link.secret_hash not in path
    ClientLink.objects.update(revoked_at=timezone.now())
    assert client.get(path).status_code == 404
    _link, token = create_link(Client.objects.get(pk=demo.client_id), days=7)
    ClientLink.objects.filter(pk=_link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("shared_client_report", args=[token])).status_code == 404
