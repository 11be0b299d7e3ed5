"""Outreach pages: the CM writes to the shortlist, edits templates, sees the rules' day, answers replies."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ambassade.campaigns.status import Status
from ambassade.logistics import ledger
from ambassade.outreach.inbox import receive
from ambassade.outreach.models import (
    Direction,
    Message,
    MessageKind,
    MessageStatus,
    Template,
    TemplateKind,
)

from .test_outreach_mail import FIXTURES, eml, shortlisted, yogurt  # noqa: F401


def test_the_mail_page_previews_each_person_and_queues_only_what_passes_the_lint(client, world):
    operation = yogurt(world)
    placements = shortlisted(world, operation, ["Lea", "Julie"])
    url = reverse("operation_mail", args=[operation.pk])
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.viewer)
    assert client.get(url).status_code == 403
    client.force_login(world.member)
    page = client.get(url).content.decode()
    assert "Bonjour Lea," in page and "la note personnelle est obligatoire" in page
    response = client.post(url, {"action": "queue", "send": [placements[0].pk, placements[1].pk],
                                 f"note-{placements[0].pk}": "Votre goûter d'anniversaire m'a donné envie d'écrire."})
    assert response.status_code == 302
    queued = Message.objects.get()
    assert queued.placement == placements[0] and queued.status == MessageStatus.QUEUED
    assert "Votre goûter d'anniversaire" in queued.body_text


def test_a_template_with_an_unknown_variable_is_refused(client, world):
    operation = yogurt(world)
    client.force_login(world.member)
    url = reverse("template_edit", args=[operation.pk, TemplateKind.PITCH])
    client.post(url, {"subject": "Pour {{ blog }}", "body_text": "Bonjour {{ prénom }}"})
    assert "prénom" not in Template.objects.get(operation=operation, kind=TemplateKind.PITCH).body_text
    client.post(url, {"subject": "Pour {{ blog }}", "body_text": "Bonjour {{ prenom }},\n{{ note }}\n{{ mentions }}",
                      "note_required": "on"})
    assert Template.objects.get(operation=operation, kind=TemplateKind.PITCH).body_text.startswith("Bonjour {{ prenom }}")
    client.force_login(world.viewer)
    assert client.post(url, {"subject": "x", "body_text": "y"}).status_code == 403


def test_replies_wait_on_the_dashboard_and_the_cm_marks_them_accepted_or_declined(client, world):
    operation = yogurt(world)
    placements = shortlisted(world, operation, ["Lea"])
    placement = placements[0]
    ledger.move(placement, Status.PITCHED)
    sent = Message.objects.create(placement=placement, organisation=world.org_a, to_address="lea@lea.example",
                                  subject="Proposition", body_text="…", status=MessageStatus.SENT,
                                  message_id="<pitch-1@plume.example>", sent_at=timezone.now())
    receive(world.org_a.pk, eml("reply_quoted.eml", **{"from": "lea@lea.example", "to": "claire@plume.example",
                                                        "in_reply_to": sent.message_id}))
    client.force_login(world.member)
    card = client.get(reverse("to_answer")).content.decode()
    assert "À répondre" in card and "Blog de Lea" in card and "reçu à l&#x27;instant" in card  # never "il y a 0 minute"
    thread = client.get(reverse("conversation", args=[placement.pk])).content.decode()
    assert "Avec plaisir" in thread and "Proposition" in thread
    client.post(reverse("answer", args=[placement.pk]), {"decision": "accepted", "text": "Merci Léa, le colis part demain !"})
    placement.refresh_from_db()
    assert placement.status == Status.ACCEPTED
    assert not Message.objects.to_answer().exists()
    answer = Message.objects.get(kind=MessageKind.ANSWER)
    assert answer.to_address == "lea@lea.example" and answer.in_reply_to == "<reply-1@cuisine.example>"
    assert answer.subject.startswith("Re")
    client.force_login(world.outsider)
    assert client.get(reverse("conversation", args=[placement.pk])).status_code == 404
    assert client.post(reverse("answer", args=[placement.pk]), {"decision": "declined"}).status_code == 404
    client.force_login(world.viewer)
    assert "Blog de Lea" not in client.get(reverse("to_answer")).content.decode()


def test_the_rules_page_and_command_show_what_would_go_and_what_is_held_back(client, world):
    operation = yogurt(world)
    placements = shortlisted(world, operation, ["Lea", "Julie"])
    long_ago = timezone.now() - timezone.timedelta(days=30)
    for placement in placements:
        ledger.move(placement, Status.PITCHED, at=long_ago)
        Message.objects.create(placement=placement, organisation=world.org_a, to_address=f"{placement.blog.name[8:].lower()}@x.example",
                               subject="Proposition", body_text="…", status=MessageStatus.SENT, sent_at=long_ago,
                               message_id=f"<p{placement.pk}@plume.example>")
    ledger.move(placements[1], Status.REPLIED)
    Template.objects.filter(operation=operation).delete()
    from ambassade.outreach.compose import templates_for

    templates_for(operation)
    client.force_login(world.member)
    page = client.get(reverse("followups")).content.decode()
    assert "partirait" in page and "retenue" in page and "réponse reçue" in page
    out = StringIO()
    call_command("followups", "--dry-run", stdout=out)
    assert "partirait : Goûters d'hiver · Blog de Lea" in out.getvalue()
    assert "retenue : Goûters d'hiver · Blog de Julie — Relance sans réponse — réponse reçue" in out.getvalue()
    assert not Message.objects.filter(step="no_answer").exists()  # a dry run writes nothing
    call_command("followups", stdout=StringIO())
    assert Message.objects.get(step="no_answer", placement=placements[0]).status == MessageStatus.QUEUED
    assert Message.objects.get(step="no_answer", placement=placements[1]).status == MessageStatus.CANCELLED
    assert Message.objects.filter(direction=Direction.OUTBOUND, step="no_answer").count() == 2


def test_managers_set_the_mail_settings_and_no_password_is_ever_stored(client, world):
    url = reverse("mail_settings")
    client.force_login(world.member)
    assert client.get(url).status_code == 403
    client.force_login(world.owner)
    data = {"from_name": "Claire", "from_address": "claire@plume.example", "smtp_host": "smtp.plume.example",
            "smtp_port": 587, "smtp_security": "starttls", "smtp_username": "claire", "smtp_password_env": "bad name",
            "imap_host": "", "imap_port": 993, "imap_security": "ssl", "imap_folder": "INBOX", "daily_cap": 40,
            "send_from_hour": 9, "send_until_hour": 18}
    assert "Un nom de variable" in client.post(url, data).content.decode()
    data["smtp_password_env"] = "AMBASSADE_SMTP_PASSWORD"
    assert client.post(url, data).status_code == 302
    from ambassade.outreach.models import MailSettings

    saved = MailSettings.objects.get(organisation=world.org_a)
    assert saved.smtp_password_env == "AMBASSADE_SMTP_PASSWORD"
    assert not [f.name for f in MailSettings._meta.get_fields() if f.name.endswith("password")]
    assert "variable absente sur ce serveur" in client.get(url).content.decode()
    client.force_login(world.outsider)
    assert MailSettings.objects.filter(organisation=world.org_b).count() == 0
