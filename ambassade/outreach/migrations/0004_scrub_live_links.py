"""Stored mails keep no live blogger link: the ones already stored get their placeholders."""

import re

from django.db import migrations

LIVE = re.compile(r"https?://[^\s\"'<>]+?/(b|opposition|colis)/[A-Za-z0-9._:~-]+/?(?:[^\s\"'<>]*)")
PLACEHOLDER = {"b": "[lien personnel]", "opposition": "[lien de désinscription]",
               "colis": "[lien d'accusé de réception]"}


def scrub(apps, schema_editor):
    Message = apps.get_model("outreach", "Message")
    for message in Message.objects.iterator():
        text = LIVE.sub(lambda m: PLACEHOLDER[m.group(1)], message.body_text or "")
        html = LIVE.sub(lambda m: PLACEHOLDER[m.group(1)], message.body_html or "")
        if (text, html) != (message.body_text, message.body_html):
            Message.objects.filter(pk=message.pk).update(body_text=text, body_html=html)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_alter_message_kind")]
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
