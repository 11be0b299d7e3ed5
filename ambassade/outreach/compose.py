"""Writing to one blogger: who gets it, what the template says for them, and whether it may go.

The context a template sees is a flat dict of strings built here: the
person's first name, their blog, one of their recent posts on the brief's
subject (the targeting reasons say which words), the product, the CM's note,
and the information notice a first contact must carry (GDPR: who we are, why
we write, where the address comes from, the right to object, the link).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ambassade.blogs.models import Blogger, BloggerEmail, Cadence, EmailKind, LegalBasis
from ambassade.campaigns.models import Placement

from . import veille
from .links import OPT_OUT, PERSONAL
from .lint import Problem, lint, near_duplicates, shared_notes
from .models import (
    Direction,
    MailSettings,
    Message,
    MessageKind,
    MessageStatus,
    Template,
    TemplateKind,
)
from .render import Rendered, RenderError, render

DEFAULTS = {
    TemplateKind.PITCH: (
        "{{ produit }} : une proposition pour {{ blog }}",
        "Bonjour {{ prenom }},\n\n"
        "{% if billet_titre %}J'ai lu votre billet « {{ billet_titre }} » ({{ billet_url }}) et c'est pour cela que "
        "je vous écris.\n\n{% endif %}"
        "{{ note }}\n\n"
        "Pour {{ marque }}, nous aimerions vous faire découvrir {{ produit }}, sans aucune obligation d'en parler. "
        "Si l'envie vous prend d'écrire, vous restez libre de votre avis.\n\n"
        "Dites-moi simplement si cela vous intéresse, et à quelle adresse vous envoyer le colis.\n\n"
        "{{ signature }}\n\n{{ mentions }}\n",
        True, 0,
    ),
    TemplateKind.NO_ANSWER: (
        "Re : {{ produit }} : une proposition pour {{ blog }}",
        "Bonjour {{ prenom }},\n\nJe me permets de revenir vers vous une seule fois : la proposition pour "
        "{{ produit }} tient toujours, et un simple « non merci » me va très bien aussi. Vous pouvez aussi "
        "répondre en un clic depuis votre page : {{ lien_perso }}\n\n{{ signature }}\n\n"
        "Pour ne plus recevoir de messages de notre part : {{ lien_desinscription }}\n",
        False, 5,
    ),
    TemplateKind.NO_ARTICLE: (
        "{{ produit }} : bien arrivé ?",
        "Bonjour {{ prenom }},\n\nJ'espère que {{ produit }} vous plaît. Aucune obligation d'écrire : si vous "
        "en parlez, il suffit de déclarer l'adresse du billet sur votre page, nous ne vous relancerons "
        "plus : {{ lien_perso }}\n\n{{ signature }}\n\nPour ne plus recevoir de messages de notre part : {{ lien_desinscription }}\n",
        False, 21,
    ),
}


def templates_for(operation) -> dict[str, Template]:
    """The operation's three mails, created from the defaults the first time."""
    existing = {t.kind: t for t in operation.templates.all()}
    for kind, (subject, body, note_required, delay) in DEFAULTS.items():
        if kind not in existing:
            existing[kind] = Template.objects.create(operation=operation, kind=kind, subject=subject, body_text=body,
                                                     note_required=note_required, delay_days=delay)
    return existing


def mail_settings(organisation) -> MailSettings:
    found = MailSettings.objects.filter(organisation=organisation).first()
    if found:
        return found
    # Not configured yet: Django's own mail settings, a sender named after the organisation.
    return MailSettings(organisation=organisation, from_name=organisation.name, from_address=settings.DEFAULT_FROM_EMAIL)


def recipient(placement: Placement) -> tuple[Blogger | None, BloggerEmail | None, str]:
    """The person to write to on this blog and their address, or why there is none."""
    bloggers = list(placement.blog.bloggers.all())
    if not bloggers:
        return None, None, "aucun contact connu pour ce blog"
    open_ = [b for b in bloggers if b.opted_out_at is None]
    if not open_:
        return bloggers[0], None, "opposition : ne plus contacter"
    for blogger in open_:
        address = blogger.emails.filter(is_invalid=False).order_by("-is_primary", "id").first()
        if address:
            return blogger, address, ""
    return open_[0], None, "aucune adresse valide"


def relevant_post(placement: Placement):
    """A recent post of the blog on the brief's subject, or None: never the blogger's own post about
    this brand (citing their review of our product to pitch that product reads as a form letter),
    never just the latest post whatever its subject ("your bicycle review is why I write")."""
    from ambassade.targeting.text import terms

    operation = placement.operation
    matched = set((placement.selection_score or {}).get("matched", [])) or set(
        terms(" ".join([operation.brief, operation.product_description, *operation.keywords])))
    answers = veille.ask()
    scored = []
    for post in answers.recent_posts(placement.blog, timezone.now() - timedelta(days=120)):
        text = f"{post.title} {post.excerpt}"
        if answers.names_brand(operation, text):
            continue
        scored.append((len(matched & set(terms(text))), post))
    best = max(scored, key=lambda sp: sp[0], default=(0, None))
    return best[1] if best[0] else None


def notice(placement: Placement, blogger: Blogger, organisation, link: str) -> tuple[str, dict[str, str]]:
    """The information notice of a first contact, and the parts the lint looks for."""
    operation = placement.operation
    source = blogger.source or "source inconnue"
    client = "" if str(operation.client).strip().lower() == operation.brand.strip().lower() else f" ({operation.client})"
    text = (f"—\nPourquoi ce message ? {organisation.name} vous écrit pour {operation.brand}{client}, "
            f"parce que votre blog {placement.blog.name} parle de ces sujets.\n"
            f"D'où vient votre adresse : {source}.\n"
            f"Votre page (répondre, vos préférences, vos données, les exporter ou les effacer) : {PERSONAL}\n"
            f"Vous pouvez vous opposer à tout nouveau message, pour toutes nos marques, en un clic : {link}")
    parts = {"qui nous sommes": organisation.name, "pourquoi nous écrivons": "Pourquoi ce message",
             "d'où vient l'adresse": source, "droit d'opposition": "vous opposer", "lien d'opposition": link}
    return text, parts


@dataclass
class Draft:
    placement: Placement
    template: Template
    blogger: Blogger | None
    address: BloggerEmail | None
    values: dict[str, str] = field(default_factory=dict)
    rendered: Rendered | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.rendered is not None


def _refusals_touched(blogger: Blogger, operation) -> set[str]:
    """The person's never-topics this operation is about (the targeting's filter, checked again here)."""
    from ambassade.targeting.never import touched
    from ambassade.targeting.text import terms

    if not blogger.topics_never:
        return set()
    text = " ".join([operation.brief, operation.product_description, *operation.product_names, *operation.keywords])
    return touched(set(blogger.topics_never), frozenset(terms(text)), frozenset(operation.target_topics))


def draft(placement: Placement, template: Template, note: str = "") -> Draft:
    blogger, address, missing = recipient(placement)
    result = Draft(placement, template, blogger, address)
    if missing:
        result.problems.append(Problem("no_recipient", missing))
        return result
    organisation = placement.operation.organisation
    sender = mail_settings(organisation)
    link = OPT_OUT  # the real links are minted when the mail leaves (links.fill)
    first_contact = template.kind == TemplateKind.PITCH
    notice_text, notice_parts = notice(placement, blogger, organisation, link)
    post = relevant_post(placement)
    operation = placement.operation
    result.values = {
        "prenom": blogger.first_name or blogger.pseudonym, "blog": placement.blog.name,
        "billet_titre": post.title if post else "", "billet_url": post.url if post else "",
        "produit": (operation.product_names or [operation.name])[0], "marque": operation.brand,
        "note": note.strip(), "agence": organisation.name, "signature": sender.signature or sender.from_name,
        "mentions": notice_text, "lien_desinscription": link, "lien_perso": PERSONAL,
    }
    if first_contact and address.kind == EmailKind.PRIVATE and blogger.legal_basis != LegalBasis.CONSENT:
        result.problems.append(Problem("private_address", "adresse personnelle : pas de premier contact sans son consentement"))
    refused = _refusals_touched(blogger, placement.operation)
    if refused:
        result.problems.append(Problem("never_topic", "ne veut jamais recevoir : " + ", ".join(sorted(refused))))
    if first_contact and blogger.cadence == Cadence.NEVER_COLD:
        result.problems.append(Problem("no_cold_pitch", "ne souhaite être contacté·e que sur sa demande"))
    try:
        result.rendered = render(template.subject, template.body_text, template.body_html, result.values)
    except RenderError as error:
        result.problems.append(Problem("render", str(error)))
        return result
    result.problems += lint(result.rendered, sources=(template.subject, template.body_text, template.body_html),
                            values=result.values, first_name=result.values["prenom"],
                            note_required=template.note_required, first_contact=first_contact, notice=notice_parts)
    return result


def draft_batch(placements: list[Placement], template: Template, notes: dict[int, str]) -> list[Draft]:
    drafts = [draft(p, template, notes.get(p.pk, "")) for p in placements]
    for group in shared_notes({d.placement.pk: notes.get(d.placement.pk, "") for d in drafts}):
        for d in drafts:
            if d.placement.pk in group:
                d.problems.append(Problem("shared_note", f"la même note personnelle pour {len(group)} personnes : "
                                                         "une note dit ce qui vous a donné envie d'écrire à celle-ci"))
    bodies = {d.placement.pk: d.rendered.text for d in drafts if d.rendered}
    for group in near_duplicates(bodies):
        for d in drafts:
            if d.placement.pk in group:
                d.problems.append(Problem("near_duplicate", f"{len(group)} mails quasi identiques dans cet envoi : "
                                                            "ajoutez une note personnelle à chacun"))
    return drafts


PITCH_PENDING_OR_SENT = [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.UNCERTAIN, MessageStatus.SENT]


def has_pitch(placement: Placement) -> bool:
    """A first contact is waiting to leave, is being handed over, or has left."""
    return Message.objects.filter(placement=placement, direction=Direction.OUTBOUND, kind=MessageKind.PITCH,
                                  status__in=PITCH_PENDING_OR_SENT).exists()


def queue(drafts: list[Draft], *, kind=MessageKind.PITCH, step: str = "pitch", reply_to: Message | None = None,
          now=None) -> list[Message]:
    """The drafts without problems become queued messages; the sender decides when they leave."""
    now = now or timezone.now()
    queued = []
    for d in drafts:
        if not d.ok:
            continue
        if kind == MessageKind.PITCH and has_pitch(d.placement):
            continue  # one first contact per person: a second click never queues a second pitch
        operation = d.placement.operation
        queued.append(Message.objects.create(
            placement=d.placement, organisation=operation.organisation, direction=Direction.OUTBOUND, kind=kind,
            step=step, status=MessageStatus.QUEUED, to_address=d.address.address, subject=d.rendered.subject,
            body_text=d.rendered.text, body_html=d.rendered.html, send_after=now,
            in_reply_to=reply_to.message_id if reply_to else "",
            references=" ".join(filter(None, [reply_to.references, reply_to.message_id])) if reply_to else "",
        ))
    return queued
