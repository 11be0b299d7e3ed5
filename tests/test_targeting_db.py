"""Ciblage from the database: profiles built from the veille's posts, the ranking of an operation,
its hard filters and warnings, `ambassade rank`, and the shortlist builder's pages."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ambassade.blogs.models import Blog, Blogger, BloggerEmail
from ambassade.campaigns.models import Client, Operation, OperationStatus, Placement
from ambassade.campaigns.status import Status
from ambassade.farm.render import feed_path
from ambassade.farm.server import FarmThread
from ambassade.logistics import ledger
from ambassade.logistics.models import Supply
from ambassade.targeting.candidates import assess_blog, shortlist
from ambassade.targeting.models import BlogProfile
from ambassade.targeting.refresh import refresh_profiles, stale_blog_ids
from ambassade.watch.models import Feed, Post
from ambassade.workflow.articles import veille_pass

KITCHEN = [
    ("Goûter maison en dix minutes", "Un yaourt, un peu de miel, des fruits : le goûter des enfants est prêt. La recette est simple."),
    ("Dessert express du dimanche", "Un dessert au yaourt et à la vanille, préparé en dix minutes, une nuit au frais."),
    ("Ma tarte du marché", "La pâte, les fruits du marché, le four : une tarte pour le goûter."),
]
TRAVEL = [("Le canal du Midi à vélo", "Cinq jours de vélo le long du canal, des étapes courtes et des chambres d'hôtes."),
          ("Escapade dans l'Aude", "Un week-end de randonnée, une valise légère et un marché de village.")]
MATERNITY = [("Bilan du troisième trimestre", "Ma grossesse touche à sa fin, le portage et la robe de grossesse m'aident."),
             ("Nos matins à quatre", "Depuis la naissance de notre bébé, les matins sont sportifs. Le goûter des enfants aussi.")]


def make_blog(org, name, posts, topics, *, days=3, disclosure="none", never=(), opted_out=False, language="fr"):
    blog = Blog.objects.create(organisation=org, url=f"https://{name.lower().replace(' ', '-')}.example/", name=name,
                               language=language)
    blogger = Blogger.objects.create(organisation=org, blog=blog, first_name=name.split()[0], source="test",
                                     topics_never=list(never))
    BloggerEmail.objects.create(organisation=org, blogger=blogger, address=f"{blog.pk}@blogs.example")
    if opted_out:
        blogger.opt_out()
    now = timezone.now()
    for i, (title, text) in enumerate(posts * 3):
        Post.objects.create(blog=blog, guid=f"{blog.pk}-{i}", url=f"{blog.url}{i}", title=title, text=text,
                            published_at=now - timedelta(days=days + 7 * i), topics=list(topics),
                            disclosure=disclosure if i % 3 == 0 else "none")
    return blog


@pytest.fixture
def blogs(world):
    org = world.org_a
    world.blog.delete()  # the fixture's blog has no posts; these have
    made = {
        "kitchen": make_blog(org, "Camille cuisine", KITCHEN, ["cuisine"]),
        "kitchen2": make_blog(org, "Julie pâtisse", KITCHEN[1:] + KITCHEN[:1], ["cuisine", "parentalite"]),
        "sandwich": make_blog(org, "Inès sponso", KITCHEN, ["cuisine"], disclosure="sponsored"),
        "travel": make_blog(org, "Hugo vadrouille", TRAVEL, ["voyage"]),
        "mum": make_blog(org, "Léa maman", MATERNITY, ["parentalite", "cuisine"]),
        "no_pregnancy": make_blog(org, "Chloé gourmande", KITCHEN, ["cuisine", "parentalite"], never=["grossesse"]),
        "opted_out": make_blog(org, "Manon stop", KITCHEN, ["cuisine"], opted_out=True),
        "asleep": make_blog(org, "Zoé dort", KITCHEN, ["cuisine"], days=200),
        "english": make_blog(org, "Emma bakes", [("Tea time", "The kids and the yogurt cake, with the recipe for you and the family")],
                             ["cuisine"], language="en"),
    }
    refresh_profiles()
    return made


def yogurt_operation(world, **extra):
    fields = dict(organisation=world.org_a, client=world.client, name="Goûters", brand="Laiterie Delacour",
                  brief="Des blogs qui font des goûters maison pour les enfants.", keywords=["goûter", "yaourt", "recette"],
                  target_topics=["cuisine"], status=OperationStatus.RUNNING)
    return Operation.objects.create(**{**fields, **extra})


def test_it_puts_kitchen_blogs_first_with_a_sentence_that_explains_each(world, blogs):
    result = shortlist(yogurt_operation(world), limit=5)
    names = [p.blog.name for p in result.proposals]
    assert names[0] in ("Camille cuisine", "Julie pâtisse", "Chloé gourmande")
    assert "Hugo vadrouille" not in names[:3]
    first = result.proposals[0]
    assert "billets sur « " in first.sentence and "90 jours" in first.sentence
    assert "jamais sollicité par l'agence" in first.sentence
    sandwich = next(p for p in result.proposals if p.blog == blogs["sandwich"])
    assert names.index("Inès sponso") > names.index("Camille cuisine")
    assert sandwich.breakdown["saturation"] < 0 and "sponsorisés" in sandwich.sentence


def test_it_leaves_out_whoever_a_hard_filter_excludes_and_says_how_many(world, blogs):
    maternity = yogurt_operation(world, name="Robe Lune", brief="Une robe de grossesse pour les futures mamans.",
                                 keywords=["grossesse", "maternité"], target_topics=["parentalite"])
    result = shortlist(maternity, limit=20)
    ids = {p.blog.pk for p in result.proposals}
    for excluded in ("no_pregnancy", "opted_out", "asleep", "english"):
        assert blogs[excluded].pk not in ids, excluded
    assert blogs["mum"].pk in ids
    assert result.excluded["never_topic"] == 1 and result.excluded["opted_out"] == 1
    assert result.excluded["inactive"] == 1 and result.excluded["language"] == 1
    assert assess_blog(maternity, blogs["no_pregnancy"].pk) == "ne veut pas entendre parler de ce sujet"


def test_it_leaves_out_a_recent_refusal_from_the_same_client_and_a_competitors_blog(world, blogs):
    earlier = yogurt_operation(world, name="Printemps")
    declined = Placement.objects.create(operation=earlier, blog=blogs["kitchen"])
    for step in (Status.SHORTLISTED, Status.PITCHED, Status.DECLINED):
        ledger.move(declined, step, note="Je ne mange pas de laitages")
    rival = Operation.objects.create(organisation=world.org_a, client=world.other_operation.client, name="Rival",
                                     brand="Yoplait", status=OperationStatus.RUNNING)
    tied = Placement.objects.create(operation=rival, blog=blogs["kitchen2"])
    for step in (Status.SHORTLISTED, Status.PITCHED, Status.ACCEPTED):
        ledger.move(tied, step)
    operation = yogurt_operation(world, competitors=["Yoplait"])
    ids = {p.blog.pk for p in shortlist(operation).proposals}
    assert blogs["kitchen"].pk not in ids and blogs["kitchen2"].pk not in ids
    # Another client may still ask: a refusal is for one client, not for life.
    other = Client.objects.get(name="Maison Azur")
    assert blogs["kitchen"].pk in {p.blog.pk for p in shortlist(yogurt_operation(world, client=other)).proposals}


def test_it_warns_about_parcels_this_month_and_bloggers_who_never_published(world, blogs, django_user_model):
    earlier = yogurt_operation(world, name="Automne")
    for _ in range(2):
        other = yogurt_operation(world, name="Autre")
        placement = Placement.objects.create(operation=other, blog=blogs["kitchen2"])
        Supply.objects.create(operation=other, product=world.product)  # a parcel is a shipment of a product
        for step in (Status.SHORTLISTED, Status.PITCHED, Status.ACCEPTED, Status.SHIPPED):
            ledger.move(placement, step)
    silent = Placement.objects.create(operation=earlier, blog=blogs["kitchen"])
    Supply.objects.create(operation=earlier, product=world.product)
    for step in (Status.SHORTLISTED, Status.PITCHED, Status.ACCEPTED, Status.SHIPPED, Status.RECEIVED,
                 Status.NOT_PUBLISHED):
        ledger.move(silent, step)
    result = shortlist(yogurt_operation(world, product_category=""), limit=9)
    by_blog = {p.blog.pk: p for p in result.proposals}
    assert "a reçu 2 produits ce mois-ci" in by_blog[blogs["kitchen2"].pk].warnings
    assert "n'a jamais publié après 1 envoi" in by_blog[blogs["kitchen"].pk].warnings
    assert by_blog[blogs["kitchen"].pk].breakdown["reliability"] < 0
    assert "contacté aujourd'hui pour une autre opération" in by_blog[blogs["kitchen"].pk].sentence


def test_it_prints_the_ranking_with_breakdowns_from_the_command_line(world, blogs):
    operation = yogurt_operation(world)
    out = StringIO()
    call_command("rank", "--operation", str(operation.pk), "--limit", "3", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert len(payload["candidates"]) == 3
    first = payload["candidates"][0]
    assert set(first["breakdown"]) == {"relevance", "topics", "wanted", "saturation", "overexposure", "reliability"}
    assert first["reason"] and first["score"] == pytest.approx(sum(first["breakdown"].values()), abs=1e-3)
    assert payload["excluded"]["opted_out"] == 1
    with pytest.raises(Exception, match="Aucune opération"):
        call_command("rank", "--operation", "999999", stdout=StringIO())


def test_the_shortlist_builder_is_for_the_agency_of_the_operation_only(client, world, blogs):
    operation = yogurt_operation(world)
    url = reverse("targeting", args=[operation.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.viewer)
    assert client.get(url).status_code == 403
    client.force_login(world.member)
    page = client.get(url)
    assert page.status_code == 200
    ranked = page.content.decode().split('<ol class="candidates">', 1)[1]
    assert "Camille cuisine" in ranked and "Manon stop" not in ranked
    # ...and the page says who each hard filter left out: the CM can check, not guess.
    assert "Manon stop" in page.content.decode().split("Écartés d'office", 1)[1].split("</details>", 1)[0]
    travel_first = client.get(url, {"relevance": "0", "topics": "0", "saturation": "1"}, HTTP_HX_REQUEST="true")
    assert travel_first.status_code == 200 and "<html" not in travel_first.content.decode()


def test_it_adds_a_candidate_to_the_selection_in_one_click_with_its_reasons(client, world, blogs):
    operation = yogurt_operation(world)
    client.force_login(world.member)
    url = reverse("shortlist_add", args=[operation.pk])
    response = client.post(url, {"blog": blogs["kitchen"].pk, "saturation": "0.8"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Dans la sélection" in response.content.decode()
    placement = Placement.objects.get(operation=operation, blog=blogs["kitchen"])
    assert placement.status == Status.SHORTLISTED
    assert "90 jours" in placement.selection_reason
    assert placement.selection_score["weights"]["saturation"] == 0.8
    assert placement.events.get().user == world.member
    # A blog a hard filter excludes cannot be added by forging the form.
    refused = client.post(url, {"blog": blogs["opted_out"].pk})
    assert refused.status_code == 302
    assert not Placement.objects.filter(operation=operation, blog=blogs["opted_out"]).exists()
    client.force_login(world.viewer)
    assert client.post(url, {"blog": blogs["kitchen2"].pk}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(url, {"blog": blogs["kitchen2"].pk}).status_code == 404


def test_the_blog_page_shows_its_profile_with_a_chart(client, world, blogs):
    client.force_login(world.member)
    html = client.get(reverse("blog_detail", args=[blogs["sandwich"].pk])).content.decode()
    assert "<svg class=\"topic-chart\"" in html and "Cuisine" in html
    assert "sponsorisés" in html and "yaourt" in html


@pytest.mark.django_db(transaction=True)
def test_it_builds_profiles_from_the_farm_and_refreshes_only_blogs_with_new_posts(world, settings):
    settings.FARM_ALLOWED, settings.WATCH_HOST_DELAY = True, 0.0
    with FarmThread(count=24, seed=5) as farm:
        chosen = [b for b in farm.farm.blogs.values() if not b.faults][:8]
        for b in chosen:
            Blog.objects.create(organisation=world.org_a, url=farm.url(b) + "/", name=b.name, platform=b.platform,
                                feed_url=farm.url(b) + feed_path(b))
        world.blog.delete()
        veille_pass()
        assert refresh_profiles() == 8
        assert stale_blog_ids() == [] and refresh_profiles() == 0
        for b in chosen:
            profile = BlogProfile.objects.get(blog__name=b.name)
            assert set(list(profile.topic_weights)[:2]) & set(b.topics), (b.name, b.topics, profile.topic_weights)
            assert profile.language == "fr" and profile.posts_90d > 0
        sandwich = max(chosen, key=lambda b: b.sponsored_share)
        plain = min(chosen, key=lambda b: b.sponsored_share)
        assert (BlogProfile.objects.get(blog__name=sandwich.name).sponsored_share
                > BlogProfile.objects.get(blog__name=plain.name).sponsored_share)
        before = BlogProfile.objects.get(blog__name=plain.name).posts_seen_until
        plain.publish(kind="unrelated")
        Feed.objects.update(next_check_at=timezone.now() - timedelta(seconds=1))
        veille_pass()
        assert stale_blog_ids() == [Blog.objects.get(name=plain.name).pk]
        assert refresh_profiles() == 1
        assert BlogProfile.objects.get(blog__name=plain.name).posts_seen_until > before


def test_stale_profiles_are_refreshed_by_a_worker_while_the_page_says_so(client, world, blogs):
    """The page writes nothing in its GET: a worker folds the new posts in (immediate here)."""
    Post.objects.create(blog=blogs["kitchen"], guid="new", url="https://x.example/new", title="Tarte",
                        published_at=timezone.now())
    client.force_login(world.member)
    page = client.get(reverse("targeting", args=[yogurt_operation(world).pk])).content.decode()
    # The task ran (immediate backend in tests): the profile caught up, and the page said it would.
    assert "en cours de mise à jour" in page
    assert stale_blog_ids() == []


def test_a_topic_to_avoid_is_not_a_competitor_and_each_filter_names_the_blogs_it_left_out(world, blogs):
    operation = yogurt_operation(world, name="Goûter léger", topics_avoided=["grossesse"], competitors=["Yoplait"])
    result = shortlist(operation, limit=20)
    assert "competitor" not in result.excluded
    assert [b.name for b in result.excluded_blogs["avoided_topic"]] == ["Léa maman"]
    assert blogs["mum"].pk not in {p.blog.pk for p in result.proposals}
    assert [b.name for b in result.excluded_blogs["opted_out"]] == ["Manon stop"]
    out = StringIO()
    call_command("rank", "--operation", str(operation.pk), "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["excluded_blogs"]["avoided_topic"] == [
        {"blog_id": blogs["mum"].pk, "blog": "Léa maman", "url": blogs["mum"].url}]


def test_a_blog_without_a_contact_is_not_an_opt_out_and_can_be_ranked_on_request(world, blogs):
    Blogger.objects.filter(blog=blogs["kitchen"]).delete()  # imported without a person
    operation = yogurt_operation(world)
    result = shortlist(operation, limit=20)
    assert [b.name for b in result.excluded_blogs["no_contact"]] == ["Camille cuisine"]
    assert "Camille cuisine" not in [b.name for b in result.excluded_blogs.get("opted_out", [])]
    with_them = shortlist(operation, limit=20, include_without_contact=True)
    camille = next(p for p in with_them.proposals if p.blog == blogs["kitchen"])
    assert any("pas encore de contact" in w for w in camille.warnings)
    assert "no_contact" not in with_them.excluded and "Manon stop" in [
        b.name for b in with_them.excluded_blogs["opted_out"]]  # an objection is never overridden
