"""The stock ledger and parcels: reservations follow the placement, stock never goes negative
(PostgreSQL: two processes race for the last unit), the blogger confirms receipt from the mail."""

import subprocess
import sys

import pytest
from django.urls import reverse

from ambassade.campaigns.models import Client, IllegalTransition, Placement
from ambassade.campaigns.status import Status
from ambassade.logistics import ledger
from ambassade.logistics.models import MovementKind, Product, StockMovement, Supply
from ambassade.outreach.models import Message, MessageKind

from .conftest import ROOT, as_sent, worker_env
from .test_outreach_mail import shortlisted, yogurt


@pytest.fixture
def op(world):
    operation = yogurt(world)
    Supply.objects.create(operation=operation, product=world.product)  # 5 units received in the fixture
    return operation


def walk(placement, *steps):
    for step in steps:
        ledger.move(placement, step)


def test_accepting_reserves_declining_releases_and_shipping_turns_the_reservation_into_a_parcel(world, op):
    lea, julie = shortlisted(world, op, ["Lea", "Julie"])
    walk(lea, Status.PITCHED, Status.ACCEPTED)
    walk(julie, Status.PITCHED, Status.ACCEPTED)
    assert ledger.available(world.product) == 3 and ledger.on_hand(world.product) == 5
    walk(julie, Status.DECLINED)
    assert ledger.available(world.product) == 4
    shipment = ledger.ship(lea, ledger.Parcel("Colissimo", "6A123", "4.95"))
    assert ledger.available(world.product) == 4 and ledger.on_hand(world.product) == 4
    lea.refresh_from_db()
    assert lea.status == Status.SHIPPED and shipment.blogger.first_name == "Lea"
    assert shipment.total_cost == world.product.unit_cost + shipment.cost
    kinds = list(StockMovement.objects.filter(placement=lea).order_by("id").values_list("kind", "quantity"))
    assert kinds == [(MovementKind.RESERVED, -1), (MovementKind.RELEASED, 1), (MovementKind.SHIPPED, -1)]


def test_stock_never_goes_negative_and_the_refusal_says_why(client, world, op):
    StockMovement.objects.create(product=world.product, kind=MovementKind.LOST, quantity=-4, note="carton abîmé")
    lea, julie = shortlisted(world, op, ["Lea", "Julie"])
    walk(lea, Status.PITCHED, Status.ACCEPTED)
    ledger.move(julie, Status.PITCHED)
    with pytest.raises(ledger.OutOfStock, match="plus de stock"):
        ledger.move(julie, Status.ACCEPTED)
    julie.refresh_from_db()
    assert julie.status == Status.PITCHED  # the move and the reservation are one
    assert ledger.available(world.product) == 0
    client.force_login(world.member)
    response = client.post(reverse("placement_move", args=[julie.pk]), {"status": Status.ACCEPTED})
    assert response.status_code == 409 and "plus de stock" in response.content.decode()


def test_shipping_needs_a_product_for_the_operation(world):
    operation = yogurt(world)
    (lea,) = shortlisted(world, operation, ["Lea"])
    walk(lea, Status.PITCHED, Status.ACCEPTED)
    with pytest.raises(IllegalTransition, match="aucun produit"):
        ledger.ship(lea)


def test_the_cm_ships_from_the_panel_and_the_blogger_confirms_once_from_the_mail(client, world, op):
    (lea,) = shortlisted(world, op, ["Lea"])
    walk(lea, Status.PITCHED, Status.ACCEPTED)
    lea.blog.bloggers.update(postal_address="Léa Martin\n3 rue des Lilas\n69001 Lyon")
    client.force_login(world.member)
    fragment = client.get(reverse("placement_parcels", args=[lea.pk])).content.decode()
    assert "3 rue des Lilas" in fragment and "Enregistrer l'expédition" in fragment
    client.post(reverse("placement_parcels", args=[lea.pk]),
                {"action": "ship", "carrier": "Colissimo", "tracking_number": "6A999", "cost": "4.95"})
    notice = Message.objects.get(kind=MessageKind.SHIPMENT)
    assert "Colissimo 6A999" in notice.body_text
    assert "[lien d'accusé de réception]" in notice.body_text and "/colis/" not in notice.body_text
    link = as_sent(notice).split("dire (et signaler un problème s'il y en a un) :\n")[1].split("\n")[0]
    path = link.split("127.0.0.1:8000", 1)[1]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Je l'ai bien reçu" in page.content.decode()
    assert "Merci !" in client.post(path).content.decode()
    lea.refresh_from_db()
    assert lea.status == Status.RECEIVED and lea.events.last().actor == "blogger"
    again = client.post(path).content.decode()
    assert "déjà confirmée" in again  # one time
    assert lea.events.filter(to_status=Status.RECEIVED).count() == 1
    assert client.get(path[:-6] + "abcdef/").status_code == 400  # tampered
    client.force_login(world.outsider)
    assert client.get(reverse("placement_parcels", args=[lea.pk])).status_code == 404


def test_a_problem_reported_from_the_parcel_link_reaches_the_cm(client, world, op):
    (lea,) = shortlisted(world, op, ["Lea"])
    walk(lea, Status.PITCHED, Status.ACCEPTED)
    shipment = ledger.ship(lea)
    from ambassade.outreach.links import receipt_url

    path = receipt_url(shipment).split("127.0.0.1:8000", 1)[1]
    client.post(path, {"problem": "Le pot est arrivé cassé."})
    shipment.refresh_from_db()
    assert shipment.problem == "Le pot est arrivé cassé." and shipment.received_at is None
    assert Message.objects.to_answer().get().body_text == "Le pot est arrivé cassé."


RACE = """
import os, sys, time
import django
django.setup()
from ambassade.campaigns.models import Placement
from ambassade.logistics import ledger
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
try:
    ledger.move(Placement.objects.get(pk=int(sys.argv[1])), "accepted")
    print("won")
except ledger.OutOfStock:
    print("out of stock")
"""


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_last_unit_exactly_one_wins(world, postgres, tmp_path):
    import time

    operation = yogurt(world)
    product = Product.objects.create(organisation=world.org_a, client=world.client, sku="LAST-1", name="Dernier pot")
    StockMovement.objects.create(product=product, kind=MovementKind.RECEIVED, quantity=1)
    Supply.objects.create(operation=operation, product=product)
    for attempt in range(5):  # several rounds: a lucky schedule must not hide a race
        if attempt:
            StockMovement.objects.create(product=product, kind=MovementKind.RECEIVED, quantity=1)
        placements = shortlisted(world, operation, [f"A{attempt}", f"B{attempt}"])
        for p in placements:
            ledger.move(p, Status.PITCHED)
        script = tmp_path / "race.py"
        script.write_text(RACE)
        start = time.time() + 2
        env = {**worker_env(postgres), "DJANGO_SETTINGS_MODULE": "ambassade.settings", "PYTHONPATH": str(ROOT)}
        workers = [subprocess.Popen([sys.executable, str(script), str(p.pk), str(start)], env=env, cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in placements]
        outcomes = sorted(w.communicate(timeout=60)[0].strip() for w in workers)
        assert outcomes == ["out of stock", "won"], outcomes
        assert ledger.available(product) == 0
    assert Placement.objects.filter(operation=operation, status=Status.ACCEPTED).count() == 5


def test_the_product_page_justifies_each_parcel_and_gives_its_outcome(client, world, op):
    (lea,) = shortlisted(world, op, ["Lea"])
    lea.selection_reason = "5 billets sur « goûter, yaourt » en 90 jours, 8 % sponsorisés"
    lea.save()
    walk(lea, Status.PITCHED, Status.ACCEPTED)
    shipment = ledger.ship(lea, ledger.Parcel("Colissimo", "6A1"))
    ledger.confirm_receipt(shipment, by="agency")
    client.force_login(world.member)
    page = client.get(reverse("product_detail", args=[world.product.pk])).content.decode()
    assert "5 billets sur « goûter, yaourt » en 90 jours" in page
    assert "pas d&#x27;article" in page or "pas d'article" in page
    assert "4 disponibles" in page.replace("</span> ", " ").replace("<span>", "")


def test_a_cm_declares_a_product_with_its_photo_and_every_exit_is_justified(client, world, tmp_path, settings):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    image.seek(0)
    image.name = "pot.png"
    client.force_login(world.member)
    response = client.post(reverse("product_list"), {"client": world.client.pk, "sku": "DLC-9", "name": "Pot",
                                                     "category": "produits laitiers", "unit_cost": "2.50",
                                                     "photo": image})
    product = Product.objects.get(sku="DLC-9")
    assert response.status_code == 302 and product.organisation == world.org_a
    assert client.get(reverse("product_photo", args=[product.pk]))["Content-Type"] == "image/png"
    duplicate = client.post(reverse("product_list"), {"client": world.client.pk, "sku": "dlc-9", "name": "Autre",
                                                      "unit_cost": "1"})
    assert "Cette référence existe déjà" in duplicate.content.decode()
    fake = io.BytesIO(b"not an image")
    fake.name = "x.png"
    refused = client.post(reverse("product_list"), {"client": world.client.pk, "sku": "X", "name": "X",
                                                    "unit_cost": "1", "photo": fake})
    assert refused.status_code == 200 and not Product.objects.filter(sku="X").exists()
    url = reverse("product_detail", args=[product.pk])
    client.post(url, {"kind": "received", "quantity": 3})
    no_reason = client.post(url, {"kind": "lost", "quantity": 1})
    assert "Une sortie de stock se justifie" in no_reason.content.decode()
    too_many = client.post(url, {"kind": "giveaway", "quantity": 5, "note": "gagnante du concours"})
    assert "plus de stock" in too_many.content.decode()
    client.post(url, {"kind": "giveaway", "quantity": 1, "note": "gagnante du concours de Léa"})
    assert ledger.available(product) == 2
    client.force_login(world.outsider)
    assert client.get(reverse("product_photo", args=[product.pk])).status_code == 404
    other = Client.objects.create(organisation=world.org_b, name="Autre client")
    client.force_login(world.member)
    client.post(reverse("product_list"), {"client": other.pk, "sku": "B-1", "name": "B", "unit_cost": "1"})
    assert not Product.objects.filter(sku="B-1").exists()


def test_the_operation_s_product_is_chosen_among_its_client_s(client, world):
    operation = yogurt(world)
    client.force_login(world.member)
    client.post(reverse("operation_supply", args=[operation.pk]), {"product": world.product.pk, "per_placement": 2})
    supply = Supply.objects.get(operation=operation)
    assert supply.product == world.product and supply.per_placement == 2
    foreign = Product.objects.create(organisation=world.org_a, client=Client.objects.get(name="Maison Azur"),
                                     sku="AZ", name="Crème")
    client.post(reverse("operation_supply", args=[operation.pk]), {"product": foreign.pk, "per_placement": 1})
    assert Supply.objects.get(operation=operation).product == world.product
    page = client.get(reverse("operation_detail", args=[operation.pk])).content.decode()
    assert "2 × Brassé Vanille" in page
