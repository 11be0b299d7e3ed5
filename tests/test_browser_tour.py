"""The README's tour, walked in Debian's Chromium on the demo as a new CM would, one screenshot per
step in test-artifacts/tour-*.png: dashboard → operation → ranking → mails → shipment → report →
client → blogger. Each step does what the README says the page is for, not just open it."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from ambassade.campaigns.models import Placement
from ambassade.campaigns.status import Status
from ambassade.farm.demo_data import CLIENT_USER, DEMO_PASSWORD, load_demo
from ambassade.outreach.models import Message, MessageStatus
from ambassade.outreach.sender import send_due

from .test_browser import ARTIFACTS, _posts_from_the_farm, log_in, page  # noqa: F401 (page: a fixture)
from .test_outreach_mail import TUESDAY_10

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HYDRA = "Lancement Crème Hydra Rose"


def shot(tab, n: int, name: str) -> None:
    tab.screenshot(path=ARTIFACTS / f"tour-{n}-{name}.png", full_page=True)


def test_the_readme_tour_from_the_dashboard_to_the_blogger(page, live_server, settings):  # noqa: F811
    settings.BASE_URL = live_server.url
    org = load_demo()
    _posts_from_the_farm(org)

    # 1. Aujourd'hui: what needs the CM, each operation's funnel.
    log_in(page, live_server)
    page.wait_for_selector("text=À répondre")
    page.wait_for_selector("ol.funnel")
    shot(page, 1, "dashboard")

    # 2. The operation's board: one column per stage.
    page.get_by_role("link", name=HYDRA).first.click()
    page.wait_for_selector(".board")
    assert page.locator(".col-accepted .card, .col-accepted [id^=placement-]").count() >= 1
    shot(page, 2, "operation")

    # 3. Ranking: candidates with their reasons; one goes into the selection.
    page.get_by_role("link", name="Trouver des blogs").click()
    page.wait_for_selector(".candidate")
    first = page.locator(".candidate").first
    name = first.locator(".candidate-name strong").inner_text()
    assert first.locator(".reason").count()
    first.get_by_role("button", name="Ajouter à la sélection").click()
    page.wait_for_selector("text=Dans la sélection")
    shot(page, 3, "ranking")
    chosen = Placement.objects.get(operation__name=HYDRA, blog__name=name)
    assert chosen.status == Status.SHORTLISTED

    # 4. Mails: a personal note for each selected blog, checked, then queued; the queue shows them.
    page.goto(f"{live_server.url}/operations/{chosen.operation_id}/")
    page.get_by_role("link", name="Écrire aux sélectionnés").click()
    page.wait_for_selector("#drafts-h")
    notes = page.locator(".draft textarea")
    for i in range(notes.count()):
        notes.nth(i).fill(f"Votre routine du soir (billet n° {i + 1}) m'a donné envie de vous écrire.")
    page.get_by_role("button", name="Vérifier avec mes notes").click()
    page.wait_for_selector("#drafts-h")
    assert page.locator(".draft.has-problems").count() == 0, page.locator(".draft.has-problems").all_inner_texts()
    page.get_by_role("button", name="Mettre en file d'envoi les mails cochés").click()
    page.wait_for_selector("#waiting-h")
    shot(page, 4, "mails")
    # Each says when it can really leave: inside the sending hours (9:00–18:00), whatever the hour now.
    earliest = re.findall(r"au plus tôt le \d{1,2} \S+ (\d\d):\d\d", page.inner_text("#waiting-h >> xpath=.."))
    assert earliest and all(9 <= int(hour) < 18 for hour in earliest), earliest
    queued = Message.objects.filter(placement__operation__name=HYDRA, status=MessageStatus.QUEUED)
    assert queued.filter(placement=chosen).exists()
    assert page.locator(f"#draft-{chosen.pk}").count() == 0  # it left "Premiers contacts"

    # 5. Shipment: the accepted blogger's parcel, from the card's panel.
    accepted = Placement.objects.get(operation__name=HYDRA, status=Status.ACCEPTED)
    page.goto(f"{live_server.url}/operations/{accepted.operation_id}/")
    page.locator(f"#placement-{accepted.pk}").get_by_role("link", name=accepted.blog.name).click()
    page.wait_for_selector(".ship-form")
    page.get_by_label("Transporteur").fill("Colissimo")
    page.get_by_label("Numéro de suivi").fill("6A123456789")
    page.get_by_role("button", name="Enregistrer l'expédition").click()
    page.wait_for_selector("text=en route")
    shot(page, 5, "shipment")
    accepted.refresh_from_db()
    assert accepted.status == Status.SHIPPED

    # The sender's pass (the worker's job in the demo): the pitch and the parcel notice leave.
    mail.outbox.clear()
    assert send_due(TUESDAY_10).sent >= 2
    notice = next(m for m in mail.outbox if "6A123456789" in m.body)

    # 6. The report: measured figures, a reason for every blogger.
    page.goto(live_server.url + "/operations/")
    page.get_by_role("link", name="Goûters d'hiver — Brassé Vanille").first.click()
    page.get_by_role("link", name="Compte rendu").click()
    page.wait_for_selector("svg.funnel")
    assert "Produit offert non signalé" in page.inner_text("body")
    shot(page, 6, "report")

    # 7. The client: its own account, its own operations' reports, nothing of the bloggers' links.
    page.context.clear_cookies()
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Identifiant").fill(CLIENT_USER)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Vos comptes rendus")
    page.get_by_role("link", name="Goûters d'hiver — Brassé Vanille").first.click()
    page.wait_for_selector("svg.funnel")
    assert HYDRA not in page.inner_text("body")
    assert not re.search(r"/(b|colis)/[A-Za-z0-9._:~-]{8,}", page.content())
    shot(page, 7, "client")

    # 8. The blogger: from the parcel notice, confirms receipt on a personal page, without an account.
    page.context.clear_cookies()
    receipt = re.search(r"https?://\S+/colis/\S+/", notice.body).group(0)
    page.goto(receipt)
    page.get_by_role("button", name="Je l'ai bien reçu").click()
    page.wait_for_selector("text=Merci !")
    personal = re.search(r"https?://\S+/b/\S+/", notice.body).group(0)
    page.goto(personal)
    page.wait_for_selector("text=Propositions en cours")
    shot(page, 8, "blogger")
    accepted.refresh_from_db()
    assert accepted.status == Status.RECEIVED and accepted.events.last().actor == "blogger"
    assert timezone.now() >= accepted.status_changed_at
