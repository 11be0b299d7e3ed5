"""Le quotidien du CM: no double mail, no dead end, nothing the CM typed thrown away."""

import re
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ambassade.campaigns.status import Status
from ambassade.logistics import ledger
from ambassade.outreach.inbox import receive
from ambassade.outreach.models import Message, MessageKind, MessageStatus, Template, TemplateKind

from .test_outreach_mail import FIXTURES, eml, shortlisted, yogurt  # noqa: F401

NOTE = "Votre goûter d'anniversaire m'a donné envie d'écrire."


def test_a_queued_pitch_leaves_the_list_and_a_second_click_never_queues_a_second_one(client, world):
    operation = yogurt(world)
    (lea,) = shortlisted(world, operation, ["Lea"])
    url = reverse("operation_mail", args=[operation.pk])
    client.force_login(world.member)
    form = {"action": "queue", "send": [lea.pk], f"note-{lea.pk}": NOTE}
    client.post(url, form)
    page = client.get(url).content.decode()
    assert f'id="draft-{lea.pk}"' not in page  # no longer under "Premiers contacts"
    assert "En file d'envoi" in page and "Retirer de la file" in page
    client.post(url, form)  # the same form again, from a stale tab
    assert Message.objects.filter(placement=lea, kind=MessageKind.PITCH).count() == 1


def test_a_queued_mail_can_be_taken_out_until_it_is_handed_over(client, world):
    operation = yogurt(world)
    lea, julie = shortlisted(world, operation, ["Lea", "Julie"])
    client.force_login(world.member)
    client.post(reverse("operation_mail", args=[operation.pk]),
                {"action": "queue", "send": [lea.pk, julie.pk], f"note-{lea.pk}": NOTE,
                 f"note-{julie.pk}": "Votre tarte aux poires m'a donné faim."})
    first, second = Message.objects.order_by("pk")
    client.post(reverse("message_cancel", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == MessageStatus.CANCELLED and "retiré de la file" in first.error
    Message.objects.filter(pk=second.pk).update(handed_at=timezone.now(), status=MessageStatus.SENDING)
    client.post(reverse("message_cancel", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == MessageStatus.SENDING  # already with the SMTP server: never "cancelled" behind it
    # Cancelled, Lea is back among the first contacts, to be written to again when the CM wants.
    assert f'id="draft-{lea.pk}"' in client.get(reverse("operation_mail", args=[operation.pk])).content.decode()
    client.force_login(world.viewer)
    assert client.post(reverse("message_cancel", args=[second.pk])).status_code == 403


def test_the_same_personal_note_for_two_people_is_a_mass_mailing(client, world):
    operation = yogurt(world)
    lea, julie = shortlisted(world, operation, ["Lea", "Julie"])
    client.force_login(world.member)
    client.post(reverse("operation_mail", args=[operation.pk]),
                {"action": "queue", "send": [lea.pk, julie.pk], f"note-{lea.pk}": NOTE, f"note-{julie.pk}": NOTE})
    assert not Message.objects.exists()
    page = client.post(reverse("operation_mail", args=[operation.pk]),
                       {"action": "check", f"note-{lea.pk}": NOTE, f"note-{julie.pk}": NOTE}).content.decode()
    assert "la même note personnelle pour 2 personnes" in page


def test_a_refused_template_keeps_the_cms_text_and_a_generic_opening_is_refused(client, world):
    operation = yogurt(world)
    client.force_login(world.member)
    url = reverse("template_edit", args=[operation.pk, TemplateKind.PITCH])
    typed = "Bonjour {{ prenom }},\n\nVoici votre code : {{ code_promo }}\n\n{{ note }}\n{{ mentions }}"
    client.post(url, {"subject": "Pour {{ blog }}", "body_text": typed})
    assert "code_promo" not in Template.objects.get(operation=operation, kind=TemplateKind.PITCH).body_text
    page = client.get(reverse("operation_mail", args=[operation.pk])).content.decode()
    assert "Variable inconnue : code_promo" in page and "Voici votre code : {{ code_promo }}" in page
    for opening in ("Chère blogueuse,\n\n{{ note }}\n{{ mentions }}", "Bonjour,\n\n{{ note }}\n{{ mentions }}"):
        client.post(url, {"subject": "Pour {{ blog }}", "body_text": opening})
        saved = Template.objects.get(operation=operation, kind=TemplateKind.PITCH).body_text
        assert saved != opening
    page = client.get(reverse("operation_mail", args=[operation.pk])).content.decode()
    assert "{{ prenom }}" in page and "la première ligne doit nommer la personne" in page


def test_the_reply_form_acts_once_and_offers_no_decision_once_decided(client, world):
    operation = yogurt(world)
    (lea,) = shortlisted(world, operation, ["Lea"])
    ledger.move(lea, Status.PITCHED)
    sent = Message.objects.create(placement=lea, organisation=world.org_a, to_address="lea@lea.example",
                                  subject="Proposition", body_text="…", status=MessageStatus.SENT,
                                  message_id="<pitch-1@plume.example>", sent_at=timezone.now())
    receive(world.org_a.pk, eml("reply_quoted.eml", **{"from": "lea@lea.example", "to": "claire@plume.example",
                                                        "in_reply_to": sent.message_id}))
    client.force_login(world.member)
    thread = client.get(reverse("conversation", args=[lea.pk])).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', thread).group(1)
    uuid.UUID(key)
    form = {"decision": "accepted", "text": "Merci Léa, le colis part demain !", "key": key}
    client.post(reverse("answer", args=[lea.pk]), form)
    client.post(reverse("answer", args=[lea.pk]), form)  # a double click, or the back button
    assert Message.objects.filter(kind=MessageKind.ANSWER).count() == 1
    lea.refresh_from_db()
    assert lea.status == Status.ACCEPTED and lea.events.filter(to_status=Status.ACCEPTED).count() == 1
    thread = client.get(reverse("conversation", args=[lea.pk])).content.decode()
    assert 'value="accepted"' not in thread and 'value="declined"' not in thread


def test_the_post_a_pitch_cites_is_on_the_brief_and_never_the_bloggers_review_of_our_product(world):
    from ambassade.outreach.compose import relevant_post
    from ambassade.watch.models import Post

    operation = yogurt(world)
    operation.keywords = ["goûter", "yaourt"]
    operation.save()
    (lea,) = shortlisted(world, operation, ["Lea"])
    lea.selection_score = {}
    now = timezone.now()
    Post.objects.filter(blog=lea.blog).delete()
    for i, title in enumerate([f"{operation.product_names[0]} de {operation.brand} : mon avis",
                               "Mon nouveau vélo électrique"]):
        Post.objects.create(blog=lea.blog, guid=f"p{i}", url=f"https://lea.example/{i}", title=title,
                            excerpt=title, published_at=now - timedelta(days=i))
    assert relevant_post(lea) is None  # neither our product's review nor a bicycle
    Post.objects.create(blog=lea.blog, guid="p9", url="https://lea.example/9", title="Goûter maison au yaourt",
                        excerpt="Un goûter simple", published_at=now - timedelta(days=20))
    assert relevant_post(lea).title == "Goûter maison au yaourt"


def test_public_holidays_are_not_working_days():
    from zoneinfo import ZoneInfo

    from ambassade.outreach.calendar import Window, add_working_days

    paris = ZoneInfo("Europe/Paris")
    ascension = timezone.datetime(2026, 5, 14, 10, tzinfo=paris)  # a Thursday
    assert Window().next_open(ascension) == timezone.datetime(2026, 5, 15, 9, tzinfo=paris)
    # Thursday 30 April + 2 working days: 1 May is a holiday, then the weekend: Tuesday 5 May.
    assert add_working_days(timezone.datetime(2026, 4, 30, 10, tzinfo=paris), 2).date().isoformat() == "2026-05-05"


def test_wider_sending_hours_apply_to_mails_already_queued_and_send_mail_says_what_waits(client, world):
    from io import StringIO

    from django.core.management import call_command

    operation = yogurt(world)
    (lea,) = shortlisted(world, operation, ["Lea"])
    tomorrow = timezone.now() + timedelta(days=1)
    Message.objects.create(placement=lea, organisation=world.org_a, kind=MessageKind.PITCH, to_address="lea@lea.example",
                           subject="x", body_text="y", status=MessageStatus.QUEUED, send_after=tomorrow)
    out = StringIO()
    call_command("send_mail", stdout=out)
    assert "1 en file d'attente ; prochain envoi possible le" in out.getvalue()
    client.force_login(world.owner)
    from django.forms.models import model_to_dict

    from ambassade.outreach.compose import mail_settings
    from ambassade.outreach.forms import MailSettingsForm

    current = model_to_dict(mail_settings(world.org_a), fields=MailSettingsForm.Meta.fields)
    fields = {k: v for k, v in current.items() if v is not None and v is not False}
    fields.update({"send_from_hour": "0", "send_until_hour": "24", "send_weekends": "on",
                   "from_name": "Claire", "from_address": "claire@plume.example"})
    response = client.post(reverse("mail_settings"), fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Message.objects.get().send_after <= timezone.now()


def _todo(membership_user, key):
    from ambassade.accounts.models import Membership
    from ambassade.dashboard.today import what_needs_me

    items = what_needs_me(Membership.objects.get(user=membership_user), timezone.now())
    return {p.pk for item in items if item.key == key for p in item.placements}


def test_every_dashboard_list_clears_the_moment_its_item_is_handled(client, world):
    from ambassade.campaigns.models import PlacementEvent
    from ambassade.logistics.models import Supply
    from ambassade.watch.models import Coverage, Post

    operation = yogurt(world)
    Supply.objects.create(operation=operation, product=world.product)
    lea, julie, hugo, ines = shortlisted(world, operation, ["Lea", "Julie", "Hugo", "Ines"])
    long_ago = timezone.now() - timedelta(days=40)
    # "Sans réponse depuis 7 jours": Lea, until her one follow-up is queued.
    ledger.move(lea, Status.PITCHED, at=long_ago)
    assert lea.pk in _todo(world.member, "no_reply")
    Message.objects.create(placement=lea, organisation=world.org_a, kind=MessageKind.FOLLOW_UP, step="no_answer",
                           to_address="lea@lea.example", subject="Re", body_text="…", status=MessageStatus.QUEUED)
    assert lea.pk not in _todo(world.member, "no_reply")
    # "Réponses à traiter" then "Colis à préparer": Julie replied, then accepted, then her parcel left.
    for step in (Status.PITCHED, Status.REPLIED):
        ledger.move(julie, step)
    assert julie.pk in _todo(world.member, "replied")
    ledger.move(julie, Status.ACCEPTED, user=world.member)
    assert julie.pk not in _todo(world.member, "replied") and julie.pk in _todo(world.member, "to_ship")
    shipment = ledger.ship(julie, ledger.Parcel("Colissimo", "6A3", "4.95"), at=timezone.now() - timedelta(days=11))
    PlacementEvent.objects.filter(placement=julie, to_status=Status.SHIPPED).update(at=timezone.now() - timedelta(days=11))
    type(julie).objects.filter(pk=julie.pk).update(status_changed_at=timezone.now() - timedelta(days=11))
    assert julie.pk not in _todo(world.member, "to_ship")
    # "Colis sans accusé de réception", said in days: until the receipt is confirmed.
    assert julie.pk in _todo(world.member, "parcel")
    client.force_login(world.member)
    assert "11 jours" in client.get(reverse("dashboard")).content.decode()
    ledger.confirm_receipt(shipment, by="agency", at=timezone.now() - timedelta(days=31))
    type(julie).objects.filter(pk=julie.pk).update(status_changed_at=timezone.now() - timedelta(days=31))
    assert julie.pk not in _todo(world.member, "parcel")
    # "Reçus il y a plus de 30 jours, sans article": until the veille finds something (even to check).
    assert julie.pk in _todo(world.member, "no_article")
    post = Post.objects.create(blog=julie.blog, guid="g", url="https://julie.example/g", title="Goûter")
    Coverage.objects.create(post=post, operation=operation, placement=julie)
    assert julie.pk not in _todo(world.member, "no_article")


def test_a_reply_leaves_a_repondre_once_the_agency_moved_on_but_a_later_word_stays(client, world):
    operation = yogurt(world)
    (hugo,) = shortlisted(world, operation, ["Hugo"])
    ledger.move(hugo, Status.PITCHED)
    received = timezone.now() - timedelta(days=21)
    Message.objects.create(placement=hugo, organisation=world.org_a, direction="in", kind=MessageKind.REPLY,
                           status=MessageStatus.RECEIVED, from_address="hugo@hugo.example", subject="Re",
                           body_text="Avec plaisir !", received_at=received)
    assert Message.objects.to_answer().count() == 1
    ledger.move(hugo, Status.ACCEPTED, user=world.member)  # the CM moved the card from the board
    assert not Message.objects.to_answer().exists()
    client.force_login(world.member)
    assert "Avec plaisir" not in client.get(reverse("to_answer")).content.decode()
    Message.objects.record_word_from_blogger(hugo, "Problème de colis", "Le pot est arrivé cassé.")
    assert [m.body_text for m in Message.objects.to_answer()] == ["Le pot est arrivé cassé."]


def test_the_history_names_who_acted_and_a_shipment_never_reads_as_a_cancellation(client, world):
    from ambassade.campaigns.models import ActorKind
    from ambassade.logistics.models import Supply

    operation = yogurt(world)
    Supply.objects.create(operation=operation, product=world.product)
    (lea,) = shortlisted(world, operation, ["Lea"])
    ledger.move(lea, Status.PITCHED, actor=ActorKind.RULE)
    ledger.move(lea, Status.REPLIED, actor=ActorKind.REPLY)
    ledger.move(lea, Status.ACCEPTED, user=world.member)
    ledger.ship(lea, ledger.Parcel("Colissimo", "6A4", "4.95"), user=world.member)
    client.force_login(world.member)
    panel = client.get(reverse("placement_detail", args=[lea.pk]), headers={"HX-Request": "true"}).content.decode()
    history = panel.split("Historique", 1)[1]
    assert "· Réponse reçue" in history and "· Règle" in history and "member_a" in history
    assert "Personne (" not in history
    product = client.get(reverse("product_detail", args=[world.product.pk])).content.decode()
    assert "Réservation transformée en colis" in product and "Réservation annulée" not in product


def test_two_blogs_with_one_name_are_told_apart_by_their_address_when_adding_one(client, world):
    from ambassade.blogs.models import Blog

    for host in ("laura-geek.example", "laurageek.example"):
        Blog.objects.create(organisation=world.org_a, url=f"https://{host}/", name="Laura geek")
    client.force_login(world.member)
    page = client.get(reverse("operation_detail", args=[world.operation.pk])).content.decode()
    assert "Laura geek — laura-geek.example" in page and "Laura geek — laurageek.example" in page


def test_a_refusal_is_a_page_a_person_can_read_and_no_traceback(client, world, caplog):
    import logging

    client.force_login(world.viewer)
    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("blog_list"))
    assert response.status_code == 403
    import html

    page = html.unescape(response.content.decode())
    assert "Accès réservé" in page and "Réservé à l'équipe de l'agence" in page and "<nav" in page
    assert not any(r.exc_info for r in caplog.records)
    assert client.get("/favicon.ico").status_code == 301


def test_the_mail_settings_page_speaks_french(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("mail_settings")).content.decode()
    for label in ("Port SMTP", "Sécurité SMTP", "Identifiant SMTP", "Port IMAP", "Dossier IMAP lu"):
        assert label in page, label
    assert "Smtp port" not in page and "Imap folder" not in page


def test_a_shared_client_link_speaks_the_agencys_language_not_the_browsers(world):
    from django.test import Client as Browser

    from ambassade.accounts.links import create_link

    _link, token = create_link(world.client, days=30, label="direction", user=None)
    english_browser = Browser(headers={"accept-language": "en-US,en;q=0.9"})
    page = english_browser.get(reverse("shared_client_report", args=[token])).content.decode()
    assert "comptes rendus en direct" in page and "LIVE REPORTS" not in page.upper().replace("COMPTES", "")
    world.org_a.language = "en"
    world.org_a.save()
    page = Browser().get(reverse("shared_client_report", args=[token])).content.decode()
    assert "comptes rendus en direct" not in page


def test_import_help_lists_the_columns_it_reads():
    from django.core.management import load_command_class

    text = " ".join(load_command_class("ambassade.imports", "import").create_parser("ambassade", "import")
                    .format_help().split())
    for column in ("blog_url", "adresse_du_blog", "email", "courriel", "topics_never", "base_legale"):
        assert column in text, column
