"""Writing one mail per person: the sandbox, the lint, the information notice, the mass-mailing check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.blogs.models import Blog, Blogger, BloggerEmail, Cadence, EmailKind, LegalBasis
from ambassade.campaigns.models import Operation, OperationStatus, Placement
from ambassade.campaigns.status import Status
from ambassade.logistics import ledger
from ambassade.outreach.compose import draft, draft_batch, queue, templates_for
from ambassade.outreach.lint import near_duplicates
from ambassade.outreach.models import Message, MessageStatus, TemplateKind
from ambassade.outreach.render import RenderError, render
from ambassade.watch.models import Post


def test_it_renders_templates_in_a_sandbox_that_reaches_nothing_it_was_not_given():
    rendered = render("Pour {{ blog }}", "Bonjour {{ prenom }} !", "<p>{{ prenom }}</p>", {"prenom": "<Léa>", "blog": "B"})
    assert rendered.subject == "Pour B" and rendered.text == "Bonjour <Léa> !"
    assert rendered.html == "<p>&lt;Léa&gt;</p>"  # HTML part escaped, text part as written
    for hostile in ("{{ prenom.__class__.__mro__ }}", "{{ prenom.__class__.__subclasses__() }}",
                    "{{ ''.__class__.__base__.__subclasses__() }}"):
        with pytest.raises(RenderError):
            render("x", hostile, "", {"prenom": "Léa"})
    with pytest.raises(RenderError, match="variable inconnue"):
        render("x", "Bonjour {{ prenon }}", "", {"prenom": "Léa"})
    with pytest.raises(RenderError, match="ligne 1"):
        render("x", "Bonjour {{ prenom ", "", {"prenom": "Léa"})


@pytest.fixture
def outreach(world):
    operation = Operation.objects.create(
        organisation=world.org_a, client=world.client, name="Goûters d'hiver", brand="Laiterie Delacour",
        product_names=["Brassé Vanille"], status=OperationStatus.RUNNING)
    placements = []
    for i, name in enumerate(["Léa", "Julie", "Hugo", "Inès", "Zoé"]):
        blog = Blog.objects.create(organisation=world.org_a, url=f"https://blog{i}.example/", name=f"Blog de {name}")
        blogger = Blogger.objects.create(organisation=world.org_a, blog=blog, first_name=name,
                                         source="adresse publiée sur la page contact du blog")
        BloggerEmail.objects.create(organisation=world.org_a, blogger=blogger, address=f"{name.lower()}@blog{i}.example")
        Post.objects.create(blog=blog, guid=f"p{i}", url=f"https://blog{i}.example/gouter", title="Goûter maison",
                            published_at=timezone.now() - timedelta(days=3))
        placement = Placement.objects.create(operation=operation, blog=blog)
        ledger.move(placement, Status.SHORTLISTED)
        placements.append(placement)
    return operation, placements


def test_a_first_contact_names_the_person_and_carries_the_information_notice(outreach):
    operation, placements = outreach
    pitch = templates_for(operation)[TemplateKind.PITCH]
    mail = draft(placements[0], pitch, note="Votre tarte aux poires m'a donné faim.")
    assert mail.ok, mail.problems
    text = mail.rendered.text
    assert text.startswith("Bonjour Léa,")
    assert "Votre tarte aux poires" in text
    assert "adresse publiée sur la page contact du blog" in text  # where the address comes from
    # Stored and previewed with placeholders: the live links are minted when the mail leaves.
    assert "vous opposer" in text and "[lien de désinscription]" in text and "[lien personnel]" in text
    assert "/opposition/" not in text and "/b/" not in text
    assert "Agence A" in text and "Laiterie Delacour" in text


@pytest.mark.parametrize("opening", ["Chère blogueuse,", "Bonjour à tous,", "Madame, Monsieur,", "Cher(e) blogueur(se),",
                                     "Hello les filles !", "Chères blogueuses,"])
def test_it_blocks_a_generic_greeting(outreach, opening):
    operation, placements = outreach
    pitch = templates_for(operation)[TemplateKind.PITCH]
    pitch.body_text = pitch.body_text.replace("Bonjour {{ prenom }},", opening)
    mail = draft(placements[0], pitch, note="Une note.")
    assert "generic_greeting" in {p.code for p in mail.problems}


def test_it_blocks_a_missing_name_a_missing_note_an_empty_variable_and_a_missing_notice(outreach):
    operation, placements = outreach
    pitch = templates_for(operation)[TemplateKind.PITCH]
    codes = {p.code for p in draft(placements[0], pitch).problems}
    assert "note_missing" in codes
    Post.objects.filter(blog=placements[0].blog).delete()
    codes = {p.code for p in draft(placements[0], pitch, note="x").problems}
    assert "empty_variable" in codes  # no recent post is known for this blog: billet_titre is empty
    pitch.body_text = "Bonjour,\n\n{{ note }}\n"
    codes = {p.code for p in draft(placements[0], pitch, note="x").problems}
    assert "name_missing" in codes and "notice_missing" in codes
    Blogger.objects.filter(blog=placements[1].blog).update(first_name="")
    codes = {p.code for p in draft(placements[1], templates_for(operation)[TemplateKind.PITCH], note="x").problems}
    assert "name_missing" in codes


def test_it_blocks_a_mass_mailing_of_near_identical_bodies(outreach):
    operation, placements = outreach
    pitch = templates_for(operation)[TemplateKind.PITCH]
    pitch.body_text = pitch.body_text.replace("J'ai lu votre billet « {{ billet_titre }} » ({{ billet_url }}) et c'est "
                                              "pour cela que je vous écris.\n\n", "")
    pitch.note_required = False
    same = draft_batch(placements, pitch, {})
    assert all("near_duplicate" in {p.code for p in d.problems} for d in same)
    notes = {
        placements[0].pk: "Votre gratin de courge de la semaine dernière m'a donné envie de vous écrire tout de suite.",
        placements[1].pk: "Vos goûters d'anniversaire pour vingt enfants sont une mine, surtout les verrines au miel.",
        placements[2].pk: "Votre carnet de route au bord du canal finissait sur un pique-nique : voilà de quoi le refaire.",
        placements[3].pk: "Vous cherchiez un dessert sans cuisson pour l'été : celui-ci se prépare en deux minutes.",
        placements[4].pk: "Votre série sur les petits déjeuners du dimanche est exactement l'esprit de ce produit.",
    }
    personal = draft_batch(placements, pitch, notes)
    assert not any("near_duplicate" in {p.code for p in d.problems} for d in personal)
    assert near_duplicates({1: "a b c d e f g", 2: "h i j k l m n"}) == []


def test_it_refuses_a_cold_pitch_to_a_private_address_or_to_someone_who_asked_not_to(outreach):
    operation, placements = outreach
    pitch = templates_for(operation)[TemplateKind.PITCH]
    BloggerEmail.objects.filter(blogger__blog=placements[0].blog).update(kind=EmailKind.PRIVATE)
    assert "private_address" in {p.code for p in draft(placements[0], pitch, note="x").problems}
    Blogger.objects.filter(blog=placements[0].blog).update(legal_basis=LegalBasis.CONSENT)
    assert "private_address" not in {p.code for p in draft(placements[0], pitch, note="x").problems}
    Blogger.objects.filter(blog=placements[1].blog).update(cadence=Cadence.NEVER_COLD)
    assert "no_cold_pitch" in {p.code for p in draft(placements[1], pitch, note="x").problems}
    Blogger.objects.filter(blog=placements[2].blog).update(opted_out_at="2026-01-01T00:00:00Z")
    assert "no_recipient" in {p.code for p in draft(placements[2], pitch, note="x").problems}


def test_only_mails_without_problems_are_queued_one_per_person(outreach):
    operation, placements = outreach
    pitch = templates_for(operation)[TemplateKind.PITCH]
    pitch.body_text = pitch.body_text.replace("« {{ billet_titre }} » ({{ billet_url }})", "sur {{ blog }}")
    drafts = draft_batch(placements[:2], pitch, {placements[0].pk: "Votre gratin m'a donné faim."})
    queued = queue(drafts)
    assert [m.placement for m in queued] == [placements[0]]
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED and message.to_address == "léa@blog0.example"
    assert "Bonjour Léa," in message.body_text and message.step == "pitch"
