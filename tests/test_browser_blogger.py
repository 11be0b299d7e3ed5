"""The blogger's side in Debian's Chromium, reached only through the links in the mails the test SMTP
server received: accept → confirm receipt → declare the article; stop → export → erase."""

import json
import re

import pytest
from django.utils import timezone

from ambassade.blogs.models import Blog, Blogger, BloggerEmail
from ambassade.campaigns.models import Operation, OperationStatus, Placement
from ambassade.campaigns.status import Status
from ambassade.farm.render import feed_path, post_path
from ambassade.farm.server import FarmThread
from ambassade.logistics import ledger
from ambassade.logistics.models import MovementKind, Product, StockMovement, Supply
from ambassade.outreach.compose import draft_batch, queue, templates_for
from ambassade.outreach.models import MailSettings, Message, MessageStatus, Security
from ambassade.outreach.notices import queue_shipment_notice
from ambassade.outreach.sender import send_due
from ambassade.workflow.articles import veille_pass

from .mailservers import SmtpSink
from .test_browser import ARTIFACTS, page  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world_with_mail(world, settings, live_server):
    settings.BASE_URL = live_server.url
    settings.FARM_ALLOWED, settings.WATCH_HOST_DELAY = True, 0.0
    with SmtpSink() as smtp, FarmThread(count=12, seed=4) as farm:
        MailSettings.objects.create(organisation=world.org_a, from_name="Claire", from_address="claire@plume.example",
                                    smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security=Security.NONE,
                                    send_weekends=True, send_from_hour=0, send_until_hour=24)
        farm_blog = next(b for b in farm.farm.blogs.values() if not b.faults and b.platform == "wordpress")
        blog = Blog.objects.create(organisation=world.org_a, url=farm.url(farm_blog) + "/", name=farm_blog.name,
                                   platform="wordpress", feed_url=farm.url(farm_blog) + feed_path(farm_blog))
        blogger = Blogger.objects.create(organisation=world.org_a, blog=blog, first_name=farm_blog.first_name,
                                         source="page contact du blog")
        BloggerEmail.objects.create(organisation=world.org_a, blogger=blogger, address=farm_blog.email)
        operation = Operation.objects.create(
            organisation=world.org_a, client=world.client, name="Goûters d'hiver", brand="Laiterie Delacour",
            product_names=["Brassé Vanille"], status=OperationStatus.RUNNING, starts_on=timezone.localdate())
        product = Product.objects.create(organisation=world.org_a, client=world.client, sku="BV", name="Brassé Vanille")
        StockMovement.objects.create(product=product, kind=MovementKind.RECEIVED, quantity=3)
        Supply.objects.create(operation=operation, product=product)
        world.blog.delete()
        veille_pass()  # the veille reads the blog: the pitch can name one of its recent posts
        placement = Placement.objects.create(operation=operation, blog=blog)
        ledger.move(placement, Status.SHORTLISTED)
        drafts = draft_batch([placement], templates_for(operation)["pitch"],
                             {placement.pk: "Votre goûter de la semaine dernière m'a donné envie de vous écrire."})
        assert queue(drafts), drafts[0].problems
        assert send_due(timezone.now()).sent == 1
        yield smtp, farm, farm_blog, placement, blogger


def links_in(mail) -> dict:
    body = mail.message.get_body(("plain",)).get_content()
    return {"page": re.search(r"https?://\S+/b/\S+/", body).group(0),
            "receipt": (re.search(r"https?://\S+/colis/\S+/", body) or [None])[0]}


def test_a_blogger_accepts_confirms_receipt_and_declares_the_article(world_with_mail, page):  # noqa: F811
    smtp, farm, farm_blog, placement, _blogger = world_with_mail
    pitch = smtp.received[0]
    page.goto(links_in(pitch)["page"])
    page.wait_for_selector("text=Propositions en cours")
    page.screenshot(path=ARTIFACTS / "blogger-page.png", full_page=True)
    page.get_by_role("button", name="J'accepte").click()
    page.wait_for_selector("text=C'est noté, l'agence revient vers vous.")
    placement.refresh_from_db()
    assert placement.status == Status.ACCEPTED

    shipment = ledger.ship(placement, ledger.Parcel("Colissimo", "6A42"))
    queue_shipment_notice(shipment)
    send_due(timezone.now())
    notice = smtp.received[-1]
    page.goto(links_in(notice)["receipt"])
    page.get_by_role("button", name="Je l'ai bien reçu").click()
    page.wait_for_selector("text=Merci !")
    placement.refresh_from_db()
    assert placement.status == Status.RECEIVED

    reminder = Message.objects.create(placement=placement, organisation=placement.operation.organisation,
                                      kind="follow_up", step="no_article", status=MessageStatus.QUEUED,
                                      to_address=farm_blog.email, subject="Bien arrivé ?", body_text="…")
    post = farm_blog.publish(kind="gifted", brand="Laiterie Delacour", product="Brassé Vanille")
    article_url = farm.url(farm_blog) + post_path(farm_blog, post)
    page.goto(links_in(notice)["page"])
    page.get_by_label("Laiterie Delacour").fill(article_url)
    page.get_by_role("button", name="Déclarer l'article").click()
    page.wait_for_selector("text=Votre article est enregistré")
    page.screenshot(path=ARTIFACTS / "blogger-declared.png", full_page=True)
    placement.refresh_from_db()
    assert placement.status == Status.PUBLISHED and placement.events.last().actor == "blogger"
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    assert placement.coverages.get().disclosure == "gifted"


def test_a_blogger_stops_all_contact_exports_and_erases(world_with_mail, page):  # noqa: F811
    smtp, _farm, _farm_blog, placement, blogger = world_with_mail
    personal = links_in(smtp.received[0])["page"]
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(personal)
    page.get_by_role("button", name="Ne plus jamais être contacté·e").click()
    page.wait_for_selector("text=plus aucun message de notre part")
    assert Blogger.objects.get(pk=blogger.pk).opted_out_at is not None
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger mes données (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["addresses"][0]["address"] == blogger.emails.get().address
    assert data["proposals"][0]["operation"] == "Goûters d'hiver"
    page.goto(personal)
    page.get_by_label("Je veux que mes données soient effacées (c'est définitif)").check()
    page.get_by_role("button", name="Effacer mes données").click()
    page.wait_for_selector("text=Vos données sont effacées")
    page.screenshot(path=ARTIFACTS / "blogger-erased.png", full_page=True)
    assert Blogger.objects.get(pk=blogger.pk).erased_at is not None
    response = page.goto(personal)
    assert response.status == 404
