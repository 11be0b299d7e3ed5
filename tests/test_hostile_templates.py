"""Hostile mail templates (issue 13, row 11): the sandbox bounds what a template costs in
size and time, and every error a CM can write is shown as a French message in the preview,
never a 500 or a worker eating memory."""

import time

import pytest
from django.urls import reverse

from ambassade.outreach.models import MailSettings
from ambassade.outreach.render import MAX_SECONDS, RenderError, render

from .test_outreach_mail import shortlisted, yogurt

VALUES = {"prenom": "Léa", "blog": "Le blog de Léa"}


@pytest.mark.parametrize("source, said", [
    ("{{ ('a'*10**7)|length }}", "trop long"),
    ("{{ 1/0 }}", "division par zéro"),
    ("{{ 2.0**10000 }}", "trop grand"),
    ("{{ 'a'|center(10**9) }}", "trop grand"),
    ("{{ '{:>999999999}'.format('a') }}", "largeur"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "trop long"),
    ("{% for i in range(100000) %}{{ 'x' * 10 }}{% endfor %}", "dépasse"),
    ("{{ prenom|int(10**200) }}", "trop grand"),
])
def test_row11_a_costly_or_failing_template_is_a_french_error(source, said):
    for html in ("", source):
        with pytest.raises(RenderError) as error:
            render("Objet", source, html, VALUES)
        assert said in str(error.value)


def test_row11_a_template_that_loops_without_printing_is_stopped_in_time():
    started = time.monotonic()
    with pytest.raises(RenderError) as error:
        render("Objet", "{% set l = range(100000)|list %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}",
               "", VALUES)
    assert "prend plus de" in str(error.value)
    assert time.monotonic() - started < MAX_SECONDS * 5


def test_ordinary_templates_render_as_before():
    rendered = render("Pour {{ prenom }}", "Bonjour {{ prenom }} ({{ blog|upper }}) {{ 'ab' * 2 }} {{ prenom ~ '!' }}\n"
                      "{% set x %}{{ blog }}{% endset %}{{ x|length }}", "<p>{{ prenom }}</p>", VALUES)
    assert rendered.subject == "Pour Léa"
    assert rendered.text == "Bonjour Léa (LE BLOG DE LÉA) abab Léa!\n14"
    assert rendered.html == "<p>Léa</p>"


@pytest.mark.django_db
def test_row11_the_preview_shows_the_error_instead_of_a_500(client, world):
    operation = yogurt(world)
    shortlisted(world, operation, ["Lea"])
    MailSettings.objects.create(organisation=world.org_a, from_name="Claire", from_address="claire@plume.example",
                                smtp_host="127.0.0.1")
    client.force_login(world.member)
    client.post(reverse("template_edit", args=[operation.pk, "pitch"]),
                {"subject": "Bonjour {{ prenom }}", "body_text": "Bonjour {{ prenom }}, {{ 1/0 }}"})
    page = client.get(reverse("operation_mail", args=[operation.pk]))
    assert page.status_code == 200
    assert "division par zéro" in page.content.decode()
