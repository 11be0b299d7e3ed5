"""Detection (veille) as pure functions, on the labelled set and on focused cases."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from ambassade.evaluation.labelled import CASES, evaluate, render_case, scores
from ambassade.farm.render import post_path
from ambassade.farm.server import FarmThread
from ambassade.lib.folding import fold, fold_term
from ambassade.watch.detect.analyze import analyze, lexicon_for
from ambassade.watch.detect.disclosure import detect_disclosure
from ambassade.watch.detect.extract import decode_html, extract_text
from ambassade.watch.detect.giveaway import detect_giveaway
from ambassade.watch.detect.lexicon import Lexicon, Term


def test_the_labelled_set_is_large_and_covers_every_family():
    assert len(CASES) >= 150
    families = {c.family for c in CASES}
    assert {"disclosure", "giveaway", "mention", "boilerplate", "normalisation", "links", "unrelated"} <= families
    assert {c.disclosure for c in CASES} == {"gifted", "sponsored", "self_bought", "none"}


@pytest.mark.parametrize("outcome", evaluate(), ids=lambda o: o.case.id)
def test_it_gets_each_labelled_case_right(outcome):
    assert outcome.failures == [], outcome.verdict


def test_it_scores_the_labelled_set():
    result = scores(evaluate())
    assert result["coverage"] == {"precision": 1.0, "recall": 1.0}
    assert result["passed"] == result["cases"]


def test_it_folds_french_text_and_can_quote_the_original():
    folded = fold("L’Œuf d’Or et la Crème Hydra-Rose")
    assert folded.text == "l'oeuf d'or et la creme hydra rose"
    start = folded.text.index("creme")
    assert folded.snippet(start, start + len("creme hydra rose"), width=0) == "…Crème Hydra-Rose"
    assert fold_term("  Crème   Hydra-Rose ") == "creme hydra rose"


def test_it_matches_whole_words_plurals_and_prefers_the_longest_term():
    lexicon = Lexicon([Term("Laiterie Delacour", "brand", 1), Term("Delacour", "alias", 1), Term("yaourt", "product", 1)])
    hits = lexicon.find(fold("La Laiterie Delacour et ses yaourts ; pas les yaourtières, ni #Delacourissime."))
    assert [(h.term.text, h.term.kind) for h in hits] == [("Laiterie Delacour", "brand"), ("yaourt", "product")]


def test_it_keeps_groups_apart_in_one_automaton():
    lexicon = Lexicon([Term("Maison Azur", "brand", "op1"), Term("Maison Azur", "brand", "op2")])
    hits = lexicon.find(fold("Maison Azur"))
    assert sorted(h.term.group for h in hits) == ["op1", "op2"]


def test_it_matches_ten_thousand_patterns():
    terms = [Term(f"Marque {i}", "brand", i) for i in range(10_000)]
    lexicon = Lexicon(terms)
    hits = lexicon.find(fold("Un mot sur la Marque 4242 et la Marque 17."))
    assert {h.term.group for h in hits} == {4242, 17}


@pytest.mark.parametrize("text, label, cue", [
    ("Cet article n'est pas sponsorisé.", "self_bought", "n'est pas sponsorisé"),
    ("Produit offert par la marque.", "gifted", "Produit offert"),
    ("Publicité : billet rémunéré.", "sponsored", "Publicité"),
    ("Produit offert, article sponsorisé.", "sponsored", "article sponsorisé"),
    ("Produit offert, cet article n'est pas sponsorisé.", "gifted", "Produit offert"),
    ("Rien à signaler.", "none", None),
])
def test_it_labels_disclosure_with_its_phrase(text, label, cue):
    result = detect_disclosure(fold(text))
    assert (result.label, result.cue) == (label, cue)


def test_it_reads_giveaway_deadlines_in_french():
    result = detect_giveaway(fold("Tirage au sort le 5 janvier, à gagner : un coffret."), date(2026, 12, 20))
    assert result.present and result.deadline == date(2027, 1, 5)
    assert not detect_giveaway(fold("Un concours de circonstances."), None).present


def test_it_repairs_a_wrong_declared_charset():
    latin1 = "<html><meta charset='utf-8'><p>Crème légère</p></html>".encode("iso-8859-1")
    assert "Crème légère" in decode_html(latin1, "utf-8")


def test_plain_text_is_the_article_body():
    article = extract_text("Premier paragraphe.\n\nLa Crème Hydra Rose de Maison Azur, produit offert.\n")
    verdict = analyze(article, lexicon_for("Maison Azur", ["Crème Hydra Rose"]))
    assert verdict.disclosure.label == "gifted" and [m.term for m in verdict.mentions] == ["Maison Azur", "Crème Hydra Rose"]


def run_analyze(*args):
    return subprocess.run([sys.executable, "-m", "ambassade", "analyze", *args],
                          capture_output=True, text=True, timeout=60)


def test_analyze_prints_exactly_one_json_object_in_the_contract(tmp_path):
    case = next(c for c in CASES if c.id == "giveaway-00")
    page = tmp_path / "billet.html"
    page.write_bytes(render_case(case, 0))
    result = run_analyze(str(page), "--brand", "Maison Azur", "--product", "Crème Hydra Rose",
                         "--alias", "#AzurBeauté", "--domain", "maison-azur.fr", "--json")
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert set(verdict) == {"title", "published", "is_coverage", "subject", "mentions", "disclosure", "giveaway", "topics"}
    assert verdict["published"] == "2026-11-10" and verdict["is_coverage"] is True
    assert verdict["giveaway"] == {"present": True, "cue": "vous fait gagner", "deadline": "2026-12-05"}
    assert {m["kind"] for m in verdict["mentions"]} == {"brand", "product"}
    assert all(set(m) == {"term", "kind", "count", "snippet"} for m in verdict["mentions"])


def test_analyze_reads_a_plain_text_file_and_refuses_a_missing_one(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("J'ai acheté avec mes sous le Brassé Vanille de Laiterie Delacour.\n", encoding="utf-8")
    verdict = json.loads(run_analyze(str(note), "--brand", "Laiterie Delacour", "--json").stdout)
    assert verdict["title"] is None and verdict["disclosure"]["label"] == "self_bought"
    missing = run_analyze(str(tmp_path / "absent.html"), "--brand", "X", "--json")
    assert missing.returncode != 0 and "introuvable" in missing.stderr


@pytest.mark.parametrize("text, topic", [
    ("Mon fond de teint préféré et un mascara qui tient toute la journée.", "beaute"),
    ("Trois façons de porter une robe longue avec des baskets.", "mode"),
    ("La recette du gâteau au yaourt de ma grand-mère, cuisson 35 minutes.", "cuisine"),
    ("Enceinte de cinq mois : la valise de maternité et la poussette.", "parentalite"),
    ("On a repeint le salon et chiné un vieux buffet en brocante.", "deco_maison"),
    ("Road trip en Écosse : itinéraire, hôtels et randonnées.", "voyage"),
    ("Mon nouveau smartphone : écran, batterie et appareil photo.", "high_tech"),
    ("Essai d'une voiture électrique : autonomie et bornes de recharge sur l'autoroute.", "auto_moto"),
    ("Yoga du matin et tisane du soir pour mieux dormir.", "sante_bienetre"),
    ("Le festival de jazz et l'exposition du musée ce week-end.", "loisirs_culture"),
])
def test_it_tells_the_topic_of_french_sentences_it_never_saw(text, topic):
    from ambassade.watch.detect.topics import classify

    assert classify(text)[0] == topic


def test_it_says_nothing_when_no_topic_is_clear():
    from ambassade.watch.detect.topics import classify

    assert classify("Bonjour à toutes et à tous !") == []


def test_analyze_json_carries_the_topics(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("La recette de la tarte au yaourt : farine, sucre, beurre et une heure au four.\n", encoding="utf-8")
    verdict = json.loads(run_analyze(str(note), "--brand", "Laiterie Delacour", "--json").stdout)
    assert verdict["topics"][0] == "cuisine"


def test_it_classifies_hand_written_posts_it_was_never_tuned_on():
    from ambassade.evaluation.topic_samples import HELD_OUT, sample_accuracy

    count, right, in_top3 = sample_accuracy(HELD_OUT)
    assert count >= 22
    assert right / count >= 0.7 and in_top3 / count >= 0.85


def test_analyze_reads_an_article_by_its_address_and_refuses_a_local_one():
    with FarmThread(count=5, seed=3) as farm:
        blog = next(iter(farm.farm.blogs.values()))
        post = blog.publish(kind="gifted", brand="Maison Azur")
        url = farm.url(blog) + post_path(blog, post)
        env = {**os.environ, "AMBASSADE_FARM_ALLOWED": "1"}
        result = subprocess.run([sys.executable, "-m", "ambassade", "analyze", url, "--brand", "Maison Azur", "--json"],
                                capture_output=True, text=True, timeout=60, env=env)
        assert result.returncode == 0, result.stderr
        verdict = json.loads(result.stdout)
        assert verdict["title"] == post.title and verdict["is_coverage"] is True
        assert verdict["disclosure"]["label"] == "gifted"
        refused = run_analyze(f"http://127.0.0.1:{farm.port}/", "--brand", "Maison Azur", "--json")
        assert refused.returncode != 0 and "refusée" in refused.stderr
        # Without the farm's allowance, a farm address is refused and the message says how to allow it.
        env["AMBASSADE_FARM_ALLOWED"] = "0"
        farm_refused = subprocess.run([sys.executable, "-m", "ambassade", "analyze", url, "--brand", "Maison Azur"],
                                      capture_output=True, text=True, timeout=60, env=env)
        assert farm_refused.returncode != 0 and "AMBASSADE_FARM_ALLOWED=1" in farm_refused.stderr
        # The human output speaks French: no "gifted" nor "(brand)".
        human = subprocess.run([sys.executable, "-m", "ambassade", "analyze", url, "--brand", "Maison Azur"],
                               capture_output=True, text=True, timeout=60, env={**env, "AMBASSADE_FARM_ALLOWED": "1"})
        assert "Transparence : produit offert" in human.stdout and "(marque)" in human.stdout
        assert "gifted" not in human.stdout and "(brand)" not in human.stdout
