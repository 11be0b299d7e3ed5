"""The giveaway's three pages in Debian's Chromium, as the CM, a participant and anyone checking see
them: screenshots in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.campaigns.models import Operation
from ambassade.farm.demo_data import load_demo
from ambassade.giveaways import services
from ambassade.giveaways.comments import Comment
from ambassade.giveaways.models import Giveaway, SourceKind
from ambassade.logistics.models import Product

from .test_browser import ARTIFACTS, log_in, page  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [("Camille Martin", "Je participe !"), ("Julie Bernard", "Je tente ma chance, merci pour ce concours !"),
          ("Sophie Petit", "Coucou, je participe avec plaisir."), ("Cheap Pills", "Buy now http://spam.example"),
          ("Julie Bernard", "Je participe encore !"), ("Élodie Durand", "Super concours, je croise les doigts !"),
          ("🎉🎉", "Je participe 🤞"), ("Inès Roux", "Oh je participe, ça a l'air délicieux.")]


def demo_giveaway() -> Giveaway:
    org = load_demo()
    operation = Operation.objects.filter(organisation=org, client__name="Laiterie Delacour").first()
    placement = operation.placements.select_related("blog").first()
    now = timezone.now()
    giveaway = services.create(Giveaway(
        organisation=org, placement=placement, title="Un an de yaourts Delacour à gagner",
        post_url=placement.blog.url.rstrip("/") + "/concours-delacour/", post_id="100001",
        prize=Product.objects.get(organisation=org, sku="DLC-BV-6"), prize_value="24.90", winners_count=2,
        opens_at=now - timedelta(days=8), closes_at=now - timedelta(minutes=5),
        sources=[SourceKind.WP_REST, SourceKind.FORM]))
    comments = [Comment(str(i), name, text, now - timedelta(days=7) + timedelta(hours=5 * i))
                for i, (name, text) in enumerate(PEOPLE, 1)]
    comments.append(Comment("99", "Retard Tardif", "Je participe !", now + timedelta(hours=1)))
    services.ingest(giveaway, SourceKind.WP_REST, comments)
    return giveaway


def test_the_giveaway_rules_and_certificate_pages_read_well(page, live_server):  # noqa: F811
    giveaway = demo_giveaway()
    page.goto(f"{live_server.url}/c/{giveaway.public_id}/")
    page.wait_for_selector("text=Participation gratuite et sans obligation d'achat")
    page.screenshot(path=ARTIFACTS / "giveaway-reglement.png", full_page=True)

    log_in(page, live_server)
    page.goto(f"{live_server.url}/concours/{giveaway.pk}/")
    page.wait_for_selector("text=Après la clôture du concours")
    page.get_by_role("button", name="Figer la liste et tirer au sort").click()
    page.wait_for_selector("text=Tirage fait")
    page.screenshot(path=ARTIFACTS / "giveaway.png", full_page=True)

    page.goto(f"{live_server.url}/c/{giveaway.public_id}/certificat/")
    page.wait_for_selector("text=commit-reveal (no public beacon reachable)")
    assert page.locator("tr.winner").count() == 2
    page.screenshot(path=ARTIFACTS / "giveaway-certificate.png", full_page=True)
