"""The CM's main flow in Debian's Chromium: log in, open an operation, move a placement."""

import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from ambassade.campaigns.models import Placement
from ambassade.farm.demo_data import DEMO_PASSWORD, DEMO_USER, load_demo

from .conftest import IN_CI

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
        yield context.new_page()
        browser.close()


def log_in(page, live_server):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Identifiant").fill(DEMO_USER)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Ce qui a besoin de vous")


def test_it_walks_a_cm_from_login_to_a_moved_placement(page, live_server):
    load_demo()
    page.goto(live_server.url + "/")
    assert "/connexion/" in page.url
    page.screenshot(path=ARTIFACTS / "login.png")
    page.get_by_label("Identifiant").fill(DEMO_USER)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Ce qui a besoin de vous")
    page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)

    page.get_by_role("link", name="Lancement Crème Hydra Rose").first.click()
    page.wait_for_selector(".board")
    page.screenshot(path=ARTIFACTS / "operation.png", full_page=True)

    placement = Placement.objects.filter(operation__name="Lancement Crème Hydra Rose", status="shortlisted").first()
    card = page.locator(f"#placement-{placement.pk}")
    card.locator("summary").click()
    card.get_by_role("button", name="→ Contacté").click()
    moved = page.locator(f".col-pitched #placement-{placement.pk}")
    moved.wait_for()
    assert page.locator("#messages").inner_text().strip().endswith("Contacté")
    placement.refresh_from_db()
    assert placement.status == "pitched"
    assert placement.events.last().user.username == DEMO_USER

    moved.get_by_role("link", name=placement.blog.name).click()
    page.wait_for_selector(".panel .timeline")
    assert "Contacté" in page.locator(".panel").inner_text()
    page.screenshot(path=ARTIFACTS / "placement-panel.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.screenshot(path=ARTIFACTS / "dashboard-mobile.png", full_page=True)


def test_it_lets_a_cm_confirm_an_article_the_veille_found(page, live_server):
    from ambassade.campaigns.status import Status
    from ambassade.watch.models import Coverage, CoverageStatus, Post

    load_demo()
    placement = Placement.objects.filter(operation__name="Lancement Crème Hydra Rose", status="pitched").first()
    post = Post.objects.create(blog=placement.blog, guid="demo-1", url=placement.blog.url + "2026/11/hydra-rose/",
                               title="Crème Hydra Rose de Maison Azur : mon avis", disclosure="none")
    coverage = Coverage.objects.create(post=post, operation=placement.operation, placement=placement,
                                       about_product=False, disclosure="none", mentions=[
                                           {"term": "Maison Azur", "kind": "brand", "count": 2,
                                            "snippet": "…la crème de Maison Azur, je l'ai adoptée…"}])
    log_in(page, live_server)
    article = page.locator(".coverage", has_text="Crème Hydra Rose de Maison Azur : mon avis")
    article.wait_for()
    assert "Parle de la marque, pas du produit" in article.inner_text()
    page.screenshot(path=ARTIFACTS / "dashboard-veille.png", full_page=True)
    article.get_by_role("button", name="Confirmer").click()
    page.wait_for_selector("text=Merci : article confirmé.")
    coverage.refresh_from_db()
    placement.refresh_from_db()
    assert coverage.status == CoverageStatus.CONFIRMED and placement.status == Status.PUBLISHED
    assert placement.events.last().user.username == DEMO_USER


def _posts_from_the_farm(org):
    """The demo's blogs with the posts the veille would have found (the farm's own), and their profiles."""
    from datetime import UTC, datetime

    from ambassade.blogs.models import Blog
    from ambassade.farm.catalog import build_catalog
    from ambassade.targeting.refresh import refresh_profiles
    from ambassade.watch.detect.topics import classify
    from ambassade.watch.models import Post

    by_host = {b.url.split("//")[1].split(".")[0]: b for b in Blog.objects.filter(organisation=org)}
    for farm_blog in build_catalog(60):
        blog = by_host.get(farm_blog.slug)
        if blog is None or farm_blog.faults:
            continue
        Post.objects.bulk_create([
            Post(blog=blog, guid=f"{blog.pk}-{p.id}", url=f"{blog.url}{p.slug}", title=p.title,
                 text="\n".join(p.paragraphs), published_at=p.published.astimezone(UTC), found_at=datetime.now(UTC),
                 disclosure=p.disclosure,
                 giveaway=p.kind == "giveaway", topics=classify(p.title + " " + " ".join(p.paragraphs)))
            for p in farm_blog.posts[:20]
        ])
    refresh_profiles()


def test_it_builds_a_shortlist_with_reasons_and_adds_a_blog_in_one_click(page, live_server):
    org = load_demo()
    _posts_from_the_farm(org)
    log_in(page, live_server)
    page.get_by_role("link", name="Concours Sérum Éclat de Nuit").first.click()
    page.get_by_role("link", name="Trouver des blogs").click()
    page.wait_for_selector(".candidate")
    first = page.locator(".candidate").first
    assert "90 jours" in first.locator(".reason").inner_text()
    page.screenshot(path=ARTIFACTS / "targeting.png", full_page=True)

    # Sponsored blogs pushed down harder: the list is re-ranked in place.
    before = page.locator(".candidate .candidate-name strong").all_inner_texts()
    page.locator("#w-saturation").fill("1")
    page.locator("#w-relevance").fill("0")
    page.wait_for_function(
        "before => [...document.querySelectorAll('.candidate .candidate-name strong')].map(e => e.textContent).join() !== before",
        arg=",".join(before))
    assert "saturation=1&" in page.url and "relevance=0&" in page.url

    name = page.locator(".candidate .candidate-name strong").first.inner_text()
    page.locator(".candidate").first.get_by_role("button", name="Ajouter à la sélection").click()
    page.wait_for_selector("text=Dans la sélection")
    placement = Placement.objects.get(operation__name="Concours Sérum Éclat de Nuit", blog__name=name)
    assert placement.status == "shortlisted" and placement.selection_reason
    page.goto(live_server.url + f"/blogs/{placement.blog_id}/")
    page.wait_for_selector("svg.topic-chart")
    page.screenshot(path=ARTIFACTS / "blog-profile.png", full_page=True)


def test_it_answers_a_reply_from_the_dashboard_and_writes_to_the_shortlist(page, live_server):
    load_demo()
    log_in(page, live_server)
    page.wait_for_selector("text=À répondre")
    page.screenshot(path=ARTIFACTS / "dashboard-replies.png", full_page=True)
    page.get_by_role("link", name="Lire et répondre").first.click()
    page.wait_for_selector(".conversation .mail-in")
    page.screenshot(path=ARTIFACTS / "conversation.png")
    panel = page.locator(".panel-card")
    panel.get_by_label("Répondre (un accusé de réception suffit souvent)").fill("Merci, le colis part demain !")
    panel.get_by_role("button", name="Accepté").click()
    page.wait_for_selector("text=Réponse traitée.")
    from ambassade.outreach.models import Message

    assert Message.objects.filter(kind="answer", body_text="Merci, le colis part demain !").exists()
    assert Message.objects.to_answer().count() == 1  # the demo had two waiting

    page.goto(live_server.url + "/operations/")
    page.get_by_role("link", name="Lancement Crème Hydra Rose").first.click()
    page.get_by_role("link", name="Écrire aux sélectionnés").click()
    page.wait_for_selector("#drafts-h")
    page.locator(".draft textarea").first.fill("Votre routine du soir m'a donné envie de vous écrire.")
    page.get_by_role("button", name="Vérifier avec mes notes").click()
    page.wait_for_selector("#drafts-h")
    page.screenshot(path=ARTIFACTS / "operation-mail.png", full_page=True)


def test_a_client_opens_the_report_from_a_link_and_a_revoked_link_is_refused(page, live_server):
    from ambassade.accounts.models import ClientLink

    load_demo()
    log_in(page, live_server)
    page.get_by_role("link", name="Goûters d'hiver — Brassé Vanille").first.click()
    page.get_by_role("link", name="Compte rendu").click()
    page.wait_for_selector("svg.funnel")
    page.screenshot(path=ARTIFACTS / "report.png", full_page=True)
    from ambassade.campaigns.models import Client

    delacour = Client.objects.get(name="Laiterie Delacour")
    page.goto(f"{live_server.url}/clients/{delacour.pk}/compte-rendu/")
    page.get_by_placeholder("Pour qui (ex. direction marketing)").fill("Hélène, marketing")
    page.get_by_role("button", name="Créer un lien").click()
    link = page.locator("code.new-link").inner_text().strip()
    page.context.clear_cookies()  # the client has no account: only the link
    page.goto(link)
    page.wait_for_selector("text=Goûters d'hiver — Brassé Vanille")
    assert "Lancement Crème Hydra Rose" not in page.content()
    page.get_by_role("link", name="Goûters d'hiver — Brassé Vanille").click()
    page.wait_for_selector("svg.funnel")
    page.screenshot(path=ARTIFACTS / "report-client-link.png", full_page=True)
    ClientLink.objects.update(revoked_at=timezone.now())
    response = page.goto(link)
    assert response.status == 404


def test_a_client_viewer_walks_every_page_it_can_reach_and_finds_nothing_of_the_bloggers(page, live_server):
    """The brand's marketing lead logs in and clicks everything: only its operations' figures and reports."""
    import re

    from ambassade.blogs.models import BloggerEmail
    from ambassade.farm.demo_data import CLIENT_USER, DEMO_PASSWORD

    org = load_demo()
    addresses = list(BloggerEmail.objects.filter(organisation=org).values_list("address", flat=True))
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Identifiant").fill(CLIENT_USER)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Vos comptes rendus")
    todo, seen, shots = [live_server.url + "/"], set(), 0
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        text, html = page.inner_text("body"), page.content()
        assert not re.search(r"/(b|opposition|colis)/[A-Za-z0-9._:~-]{8,}", html), url
        assert "Maison Azur" not in text and "Lancement Crème Hydra Rose" not in text, url
        assert not any(a in html for a in addresses), url
        assert "Ce qui a besoin de vous" not in text and "Articles détectés" not in text, url
        page.screenshot(path=ARTIFACTS / f"client-viewer-{shots}.png", full_page=True)
        shots += 1
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith(live_server.url) and "format=" not in href and "/static/" not in href:
                todo.append(href.split("#")[0])
    assert shots >= 4, seen


def test_each_topic_checkbox_sits_on_its_own_labels_line(page, live_server):
    load_demo()
    log_in(page, live_server)
    page.goto(live_server.url + "/operations/nouvelle/")
    page.screenshot(path=ARTIFACTS / "operation-form.png", full_page=True)
    boxes = page.locator("#id_target_topics input[type=checkbox]")
    assert boxes.count() == 11
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        b, text = box.bounding_box(), label.bounding_box()
        assert abs((b["y"] + b["height"] / 2) - (text["y"] + text["height"] / 2)) < 6, label.inner_text()
    page.get_by_label("Cuisine").check()
    assert page.locator("#id_target_topics input:checked").evaluate("e => e.parentElement.textContent.trim()") == "Cuisine"
