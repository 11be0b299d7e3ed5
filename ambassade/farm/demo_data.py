"""A realistic French demo: one agency, two clients, the farm's blogs, three operations.

Idempotent: loading twice changes nothing. Placements walk the status
machine step by step with back-dated events, so the history is as real as
one a CM would have built by hand.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ambassade.accounts.models import Membership, Organisation, Role
from ambassade.blogs.models import Blog, Blogger, BloggerEmail, BlogStatus
from ambassade.blogs.topics import topic_label
from ambassade.campaigns.models import Client, Operation, OperationKind, OperationStatus, Placement
from ambassade.campaigns.status import Status
from ambassade.logistics import ledger
from ambassade.logistics.models import MovementKind, Product, StockMovement, Supply
from ambassade.outreach.compose import draft, templates_for
from ambassade.outreach.models import (
    Direction,
    MailSettings,
    Message,
    MessageKind,
    MessageStatus,
    TemplateKind,
)

from .catalog import build_catalog
from .render import feed_guid, feed_path, post_path

DEMO_USER, DEMO_PASSWORD = "claire", "ambassade-demo"
CLIENT_USER = "client.delacour"
S = Status

# Paths through the machine, by final status.
PATHS = {
    S.CANDIDATE: [],
    S.SHORTLISTED: [S.SHORTLISTED],
    S.PITCHED: [S.SHORTLISTED, S.PITCHED],
    S.REPLIED: [S.SHORTLISTED, S.PITCHED, S.REPLIED],
    S.NO_ANSWER: [S.SHORTLISTED, S.PITCHED, S.NO_ANSWER],
    S.DECLINED: [S.SHORTLISTED, S.PITCHED, S.REPLIED, S.DECLINED],
    S.ACCEPTED: [S.SHORTLISTED, S.PITCHED, S.REPLIED, S.ACCEPTED],
    S.SHIPPED: [S.SHORTLISTED, S.PITCHED, S.REPLIED, S.ACCEPTED, S.SHIPPED],
    S.RECEIVED: [S.SHORTLISTED, S.PITCHED, S.REPLIED, S.ACCEPTED, S.SHIPPED, S.RECEIVED],
    S.PUBLISHED: [S.SHORTLISTED, S.PITCHED, S.REPLIED, S.ACCEPTED, S.SHIPPED, S.RECEIVED, S.PUBLISHED],
}
NOTES = {
    S.DECLINED: "« Je ne mange pas de produits laitiers, mais merci d'avoir pensé à moi ! »",
    S.NO_ANSWER: "Pas de réponse après une relance.",
}


DEMO_ORG = "plume-et-pixel"


def farm_base(slug: str) -> str:
    return f"http://{slug}.{settings.FARM_DOMAIN}:{settings.FARM_PORT}"


@transaction.atomic
def load_demo(today: date | None = None, blog_count: int = 60) -> Organisation:
    today = today or timezone.localdate()
    org, created = Organisation.objects.get_or_create(
        slug=DEMO_ORG, defaults={"name": "Agence Plume & Pixel"}
    )
    if not created:
        return org
    delacour = Client.objects.create(organisation=org, name="Laiterie Delacour")
    azur = Client.objects.create(organisation=org, name="Maison Azur")
    User = get_user_model()
    claire = User.objects.create_user(DEMO_USER, "claire@plume-et-pixel.example", DEMO_PASSWORD,
                                      first_name="Claire", last_name="Morel")
    Membership.objects.create(user=claire, organisation=org, role=Role.OWNER)
    viewer = User.objects.create_user(CLIENT_USER, "marketing@laiterie-delacour.example", DEMO_PASSWORD,
                                      first_name="Hélène", last_name="Delacour")
    Membership.objects.create(user=viewer, organisation=org, role=Role.CLIENT_VIEWER, client=delacour)
    MailSettings.objects.create(organisation=org, from_name="Claire Morel", from_address="claire@plume-et-pixel.example",
                                signature="Claire Morel\nAgence Plume & Pixel — 01 23 45 67 89")

    catalog = build_catalog(blog_count, today=today)
    blogs = {}
    for farm_blog in catalog:
        base = farm_base(farm_blog.slug)
        blog = Blog.objects.create(
            organisation=org, url=base + "/", name=farm_blog.name, platform=farm_blog.platform,
            feed_url=base + feed_path(farm_blog), topics=farm_blog.topics,
            status=BlogStatus.BROKEN if "gone" in farm_blog.faults else BlogStatus.ACTIVE,
        )
        blogger = Blogger.objects.create(
            organisation=org, blog=blog, first_name=farm_blog.first_name, last_name=farm_blog.last_name,
            postal_address=f"{farm_blog.first_name} {farm_blog.last_name}\n{12 + farm_blog.index} rue des Lilas\n"
                           f"{69001 + farm_blog.index % 9} Lyon",
            source="adresse professionnelle publiée sur la page contact du blog",
            topics_wanted=farm_blog.topics, topics_never=farm_blog.never_topics,
        )
        BloggerEmail.objects.create(organisation=org, blogger=blogger, address=farm_blog.email, is_primary=True)
        blog.farm_blog = farm_blog  # what _article grows the demo's articles on (same instance through _place)
        blogs[farm_blog.slug] = (blog, farm_blog)

    yogurt = Product.objects.create(organisation=org, client=delacour, sku="DLC-BV-6",
                                    name="Coffret Brassé Vanille ×6", category="produits laitiers", unit_cost="7.90")
    cream = Product.objects.create(organisation=org, client=azur, sku="AZR-HR-50",
                                   name="Crème Hydra Rose 50 ml", category="soin du visage", unit_cost="24.00")
    serum = Product.objects.create(organisation=org, client=azur, sku="AZR-SEN-30",
                                   name="Sérum Éclat de Nuit 30 ml", category="soin du visage", unit_cost="32.00")
    for product, quantity in ((yogurt, 30), (cream, 20), (serum, 12)):
        StockMovement.objects.create(product=product, kind=MovementKind.RECEIVED, quantity=quantity,
                                     note="Livraison du client", user=claire,
                                     at=_at(today - timedelta(days=40)))

    def fitting(topic, never):
        return [blog for blog, fb in blogs.values()
                if topic in fb.topics and not fb.faults and not (set(fb.never_topics) & set(never))]

    goûters = Operation.objects.create(
        organisation=org, client=delacour, name="Goûters d'hiver — Brassé Vanille",
        kind=OperationKind.SEEDING, status=OperationStatus.RUNNING, brand="Laiterie Delacour",
        product_names=["Brassé Vanille", "Onctueux Framboise"], aliases=["#DelacourGourmand", "Delacour"],
        brand_domains=["laiterie-delacour.fr"], competitors=["Yoplait", "Danone"],
        target_topics=["cuisine", "parentalite"], target_size=15, product_category="produits laitiers",
        keywords=["goûter", "dessert", "recette", "yaourt", "enfants"],
        product_description="Un yaourt brassé à la vanille de Madagascar, au lait entier de Normandie, en pots de 125 g.",
        brief="Faire découvrir le nouveau Brassé Vanille à des blogs qui cuisinent vraiment pour le goûter : "
              "recettes simples, familles, pâtisserie du quotidien. Pas de blogs « sandwich ».",
        starts_on=today - timedelta(days=35), ends_on=today + timedelta(days=25),
    )
    Supply.objects.create(operation=goûters, product=yogurt)
    plan = [S.PUBLISHED] * 3 + [S.RECEIVED] * 2 + [S.SHIPPED] * 2 + [S.ACCEPTED, S.REPLIED, S.PITCHED,
                                                                        S.PITCHED, S.NO_ANSWER, S.DECLINED]
    _place(goûters, fitting("cuisine", ["produits laitiers"]) + fitting("parentalite", []), plan, today, claire,
           start=today - timedelta(days=32))

    hydra = Operation.objects.create(
        organisation=org, client=azur, name="Lancement Crème Hydra Rose",
        kind=OperationKind.SEEDING, status=OperationStatus.RUNNING, brand="Maison Azur",
        product_names=["Crème Hydra Rose"], aliases=["#AzurBeauté", "Hydra Rose"],
        brand_domains=["maison-azur.fr"], target_topics=["beaute", "sante_bienetre"], target_size=12,
        product_category="soin du visage", keywords=["soin", "routine", "peau mixte", "texture"],
        product_description="Crème de jour légère à l'eau de rose, pour peaux mixtes, texture gel-crème non grasse.",
        brief="Une crème légère pour peaux mixtes. À éviter : les blogs qui ne veulent plus de soins "
              "« peaux sèches », et ceux qui ont reçu un soin visage ce mois-ci.",
        starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=50),
    )
    Supply.objects.create(operation=hydra, product=cream)
    _place(hydra, fitting("beaute", ["peaux sèches"]) + fitting("sante_bienetre", ["peaux sèches"]),
           [S.ACCEPTED, S.REPLIED, S.PITCHED, S.PITCHED, S.PITCHED, S.SHORTLISTED, S.SHORTLISTED,
            S.CANDIDATE, S.CANDIDATE], today, claire, start=today - timedelta(days=9))

    concours = Operation.objects.create(
        organisation=org, client=azur, name="Concours Sérum Éclat de Nuit",
        kind=OperationKind.GIVEAWAY, status=OperationStatus.DRAFT, brand="Maison Azur",
        product_names=["Sérum Éclat de Nuit"], aliases=["#AzurBeauté"], brand_domains=["maison-azur.fr"],
        target_topics=["beaute", "lifestyle"], target_size=6, product_category="soin du visage",
        keywords=["soin", "routine du soir", "coups de cœur"],
        product_description="Sérum de nuit à l'acide hyaluronique, flacon de 30 ml.",
        brief="Six concours sur des blogs beauté et lifestyle, un sérum à gagner sur chacun, règlement clair.",
        starts_on=today + timedelta(days=14), ends_on=today + timedelta(days=45),
    )
    Supply.objects.create(operation=concours, product=serum)
    _place(concours, fitting("lifestyle", []) + fitting("beaute", []), [S.CANDIDATE] * 6, today, claire,
           start=today - timedelta(days=2))
    for operation in (goûters, hydra):
        _conversations(operation)
    _giveaway(concours, serum, blogs, today, claire)
    return org


def _giveaway(operation, prize, blogs, today, user) -> None:
    """The giveaway the farm grows on one beauty blog (farm/giveaways.py): the demo's loop reads its comments."""
    from ambassade.farm import giveaways as farm_giveaways
    from ambassade.giveaways import services
    from ambassade.giveaways.models import Giveaway, SourceKind

    fb = farm_giveaways.demo_blog([fb for _blog, fb in blogs.values()])
    blog = blogs[fb.slug][0]
    post = farm_giveaways.demo_post(fb, today)
    opens, closes = farm_giveaways.demo_dates(today)
    placement = Placement.objects.get_or_create(operation=operation, blog=blog)[0]
    services.create(Giveaway(
        organisation=operation.organisation, placement=placement, title=f"Un {operation.product_names[0]} à gagner",
        post_url=blog.url.rstrip("/") + post_path(fb, post), post_id=str(post.id), prize=prize, prize_value="39.00",
        winners_count=1, opens_at=opens, closes_at=closes, sources=[SourceKind.WP_REST, SourceKind.FORM]), user=user)


# The articles of the demo's published placements, in turn: a disclosed gift, a paid partnership,
# and a gift nobody mentions (red in the report). They are real posts on the farm.
ARTICLE_KINDS = ("gifted", "sponsored", "undisclosed")
DISCLOSURE_OF_KIND = {"gifted": "gifted", "sponsored": "sponsored", "undisclosed": "none"}


def demo_article(farm_blog, placement_pk: int, kind: str, brand: str, product: str, when: datetime):
    """The farm post of a demo article: the same in load_demo and in the farm's own process."""
    return farm_blog.publish(kind=kind, brand=brand, product=product, when=when, key=placement_pk)


def _article(placement, index: int, at, user) -> None:
    """What the veille would have found: the farm's post, and the coverage with its evidence."""
    from ambassade.watch.models import Coverage, CoverageStatus, Post

    operation = placement.operation
    fb = placement.blog.farm_blog
    kind = ARTICLE_KINDS[index % len(ARTICLE_KINDS)]
    farm_post = demo_article(fb, placement.pk, kind, operation.brand, operation.product_names[0], at)
    disclosure = DISCLOSURE_OF_KIND[kind]
    base = farm_base(fb.slug)
    text = " ".join(farm_post.paragraphs)
    cue = farm_post.paragraphs[-1] if disclosure != "none" else ""
    post = Post.objects.create(
        blog=placement.blog, guid=feed_guid(fb, base, farm_post), url=base + post_path(fb, farm_post),
        title=farm_post.title, published_at=at, comment_count=len(farm_post.comments), disclosure=disclosure,
        topics=[farm_post.topic], excerpt=text[:600])
    Coverage.objects.create(
        post=post, operation=operation, placement=placement, status=CoverageStatus.CONFIRMED, disclosure=disclosure,
        reviewed_by=user, reviewed_at=at,  # the CM read it and confirmed it
        disclosure_cue=cue, detected_at=at,
        mentions=[{"kind": "product", "term": farm_post.product, "snippet": farm_post.paragraphs[0]}])
    ledger.move(placement, S.PUBLISHED, actor="article", note=post.url, at=at)


def replay_demo_articles(farm) -> int:
    """The farm runs in its own process: it grows again the articles load_demo recorded, each checked
    against the post it would make (a coverage confirmed live by the CM is left alone)."""
    from ambassade.watch.models import Coverage, CoverageStatus

    grown = 0
    coverages = (Coverage.objects.filter(placement__operation__organisation__slug=DEMO_ORG,
                                         status=CoverageStatus.CONFIRMED, post__isnull=False)
                 .select_related("post", "post__blog", "placement__operation").order_by("placement_id"))
    by_host = {fb.slug: fb for fb in farm.blogs.values()}
    for coverage in coverages:
        post, operation = coverage.post, coverage.placement.operation
        fb = by_host.get(post.blog.url.split("//", 1)[-1].split(".", 1)[0])
        kind = next((k for k, d in DISCLOSURE_OF_KIND.items() if d == post.disclosure), None)
        if fb is None or kind is None or not operation.product_names:
            continue
        farm_post = demo_article(fb, coverage.placement_id, kind, operation.brand, operation.product_names[0],
                                 post.published_at)
        if feed_guid(fb, farm_base(fb.slug), farm_post) != post.guid:
            fb.withdraw(farm_post)  # not one of ours
            continue
        grown += 1
    return grown


# Each operation's own reason to write (a face cream is not pitched with "your snack ideas").
DEMO_NOTES = {
    "Laiterie Delacour": "J'ai adoré vos idées de goûters pour les mercredis après-midi.",
    "Maison Azur": "Votre routine du soir, simple et sans chichis, m'a donné envie de vous écrire.",
    "": "Votre blog m'a donné envie de vous écrire.",
}

REPLIES = [
    "Bonjour Claire,\n\nAvec plaisir ! Le goûter, c'est sacré chez nous. Vous pouvez envoyer le colis à l'adresse "
    "indiquée sur le blog.\n\nBelle journée",
    "Bonjour,\n\nMerci pour votre message, ça me tente bien. Est-ce qu'il y aurait une version sans lactose ? "
    "Ma fille ne le supporte pas.\n\nÀ bientôt",
    "Hello Claire,\n\nOui, pourquoi pas ! Je ne promets pas d'article, mais je goûterai volontiers.",
]


def _conversations(operation) -> None:
    """The mails behind each card, dated like its history: pitches, replies, a follow-up, a held one."""
    pitch = templates_for(operation)[TemplateKind.PITCH]
    for index, placement in enumerate(operation.placements.select_related("blog", "operation")):
        events = {e.to_status: e.at for e in placement.events.all()}
        if S.PITCHED not in events:
            continue
        mail = draft(placement, pitch, note=DEMO_NOTES.get(operation.client.name, DEMO_NOTES[""]))
        if mail.rendered is None or mail.address is None:
            continue
        body = mail.rendered.text
        sent = Message.objects.create(
            placement=placement, organisation=operation.organisation, kind=MessageKind.PITCH, step="pitch",
            status=MessageStatus.SENT, to_address=mail.address.address, subject=mail.rendered.subject,
            body_text=body, sent_at=events[S.PITCHED],
            message_id=f"<demo-{placement.pk}@plume-et-pixel.example>")
        answered = events.get(S.REPLIED)
        if answered:
            text = NOTES[S.DECLINED] if S.DECLINED in events else REPLIES[index % len(REPLIES)]
            Message.objects.create(
                placement=placement, organisation=operation.organisation, direction=Direction.INBOUND,
                kind=MessageKind.REPLY, status=MessageStatus.RECEIVED, from_address=mail.address.address,
                subject=f"Re : {sent.subject}", body_text=text.strip("« »"), received_at=answered,
                message_id=f"<reply-{placement.pk}@{placement.blog.name.split()[0].lower()}.example>",
                in_reply_to=sent.message_id,
                # Only the reply still on "a répondu" waits for the CM: the others were dealt with.
                answered_at=None if placement.status == S.REPLIED else answered)
        if S.NO_ANSWER in events:
            Message.objects.create(
                placement=placement, organisation=operation.organisation, kind=MessageKind.FOLLOW_UP,
                step=TemplateKind.NO_ANSWER, status=MessageStatus.SENT, to_address=mail.address.address,
                subject=f"Re : {sent.subject}", body_text="Bonjour,\n\nJe me permets de revenir vers vous une seule "
                "fois : la proposition tient toujours, et un simple « non merci » me va très bien aussi.",
                sent_at=_at(_working_day((events[S.NO_ANSWER] - timedelta(days=2)).date()), 11),
                in_reply_to=sent.message_id)


def _at(day: date, hour: int = 10) -> datetime:
    # Never in the future: the demo's history must read as already lived.
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def _working_day(day: date) -> date:
    """A Saturday or a Sunday → the Friday before: nobody at the agency pitches on a Sunday."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _history(start: date, steps: int, spacing: int, hour: int, today: date) -> list[datetime]:
    """When each step of a card happened: on working days, in order, hours apart, and before today
    (a reply is never "received" the same minute the pitch left)."""
    last = today - timedelta(days=1)
    while spacing > 1 and start + timedelta(days=spacing * steps) > last:
        spacing -= 1  # a short history fits its steps closer together rather than piling them today
    moments: list[datetime] = []
    day = start
    for _ in range(steps):
        day = min(day + timedelta(days=spacing), last)
        at = _at(_working_day(day), hour)
        if moments and at <= moments[-1]:
            at = moments[-1] + timedelta(hours=2)
        moments.append(at)
    return moments


def _place(operation, candidates, plan, today, user, *, start: date):
    seen = set()
    chosen = [b for b in candidates if not (b.pk in seen or seen.add(b.pk))][: len(plan)]
    for index, (blog, final) in enumerate(zip(chosen, plan, strict=False)):
        placement = Placement.objects.create(
            operation=operation, blog=blog,
            selection_reason=(
                f"Écrit régulièrement sur {', '.join(topic_label(t).lower() for t in blog.topics)} ; "
                f"jamais sollicité pour {operation.client}."
            ),
        )
        Placement.objects.filter(pk=placement.pk).update(created_at=_at(start, 8), status_changed_at=_at(start, 8))
        steps = PATHS[final]
        moments = _history(start + timedelta(days=index % 3), len(steps), 3 + index % 4, 9 + index % 8, today)
        for step, at in zip(steps, moments, strict=True):
            if step == S.RECEIVED:
                ledger.confirm_receipt(placement.shipments.get(), by="blogger" if index % 2 else "agency", at=at)
                continue
            if step == S.PUBLISHED:
                _article(placement, index, at, user)
                continue
            # Who moved the card, as it would have happened: the first mail went by the sender, the
            # answer came from the blogger, the rest was the CM.
            actor = {S.PITCHED: "rule", S.REPLIED: "reply"}.get(step, "person")
            ledger.move(placement, step, user=user if actor == "person" else None, actor=actor,
                        note=NOTES.get(step, "") if step == final else "", at=at,
                        parcel=ledger.Parcel("Colissimo", f"6A{placement.pk:09d}", "4.95"))
