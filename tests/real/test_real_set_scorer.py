"""The real-set scorer runs on a tiny fixture, without the excerpt cache; the committed set
holds labels and short cues only; the split is fixed by the URL."""

import json

from ambassade.evaluation import real_posts

ROWS = [
    {"url": "https://a.example/creme", "topic": "beaute", "topics": ["beaute"],
     "subject": {"brand": "Maison Azur", "product": "Crème Hydra Rose"}, "passing": ["Sephora"],
     "disclosure": "gifted", "disclosure_cue": "Merci à Maison Azur pour cet envoi", "giveaway": False, "giveaway_cue": None},
    {"url": "https://b.example/concours", "topic": "cuisine", "topics": ["cuisine"],
     "subject": None, "passing": [], "disclosure": "none", "disclosure_cue": None,
     "giveaway": True, "giveaway_cue": "laissez un commentaire pour participer"},
]
EXCERPTS = {
    "https://a.example/creme": "Crème Hydra Rose de Maison Azur : mon avis\n\nJ'ai testé la Crème Hydra Rose de "
                               "Maison Azur, trouvée aussi chez Sephora. Merci à Maison Azur pour cet envoi !\n\n"
                               "Cette crème hydrate bien ma peau, le soin sent la rose.",
    "https://b.example/concours": "Concours : un livre de recettes\n\nJ'offre deux exemplaires de mon livre de cuisine : "
                                  "laissez un commentaire pour participer, tirage au sort dimanche. Recette, four, gâteau.",
}


def test_the_scorer_measures_each_detector_on_a_fixture():
    scores = real_posts.scores(real_posts.evaluate(ROWS, EXCERPTS))
    assert scores["posts"] == 2
    assert scores["coverage_matrix"]["subject"] == {"subject": 1}
    assert scores["coverage_matrix"]["passing"] == {"passing": 1}
    assert set(scores["coverage_matrix"]["absent"]) == {"absent"}
    assert scores["disclosure_accuracy"] == 1.0 and scores["giveaway_f1"] == 1.0
    assert scores["first_topic"] == 1.0


def test_a_post_without_its_excerpt_is_left_out_not_failed():
    assert real_posts.scores(real_posts.evaluate(ROWS, {}))["posts"] == 0


def test_the_cache_is_absent_rather_than_an_error(tmp_path):
    assert real_posts.load_excerpts(tmp_path / "absent.jsonl") is None


def test_import_keeps_one_row_per_url_and_writes_text_only_to_the_cache(tmp_path):
    labels = tmp_path / "labels"
    labels.mkdir()
    row = {**ROWS[0], "blog": "a.example", "platform": "other", "year": 2020, "title": "t", "tricky": None}
    (labels / "a.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (labels / "b.jsonl").write_text(json.dumps({**row, "disclosure": "none"}) + "\n", encoding="utf-8")
    (labels / "a.cache.jsonl").write_text(json.dumps({"url": row["url"], "query": "q", "excerpt": "TEXTE"}) + "\n",
                                          encoding="utf-8")
    rows, excerpts = real_posts.import_labels(labels)
    data, cache = tmp_path / "set.jsonl", tmp_path / "cache" / "excerpts.jsonl"
    real_posts.write_set(rows, excerpts, data, cache)
    assert len(rows) == 1 and rows[0]["disclosure"] == "gifted"
    assert "TEXTE" not in data.read_text(encoding="utf-8") and "TEXTE" in cache.read_text(encoding="utf-8")


def test_the_committed_set_keeps_cues_short_and_splits_once():
    rows = real_posts.load_set()
    assert len(rows) >= 400
    assert all(len((r[k] or "").split()) <= 30 for r in rows for k in ("disclosure_cue", "giveaway_cue"))
    assert not any("excerpt" in r for r in rows)
    parts = real_posts.split(rows)
    assert len(parts["tuning"]) <= 0.6 * len(rows) and len(parts["held_out"]) >= 0.4 * len(rows)
    assert all(real_posts.part_of(r["url"]) == "tuning" for r in parts["tuning"])


def test_import_grows_the_committed_set_and_records_how_to_find_each_page_again(tmp_path):
    labels = tmp_path / "labels"
    labels.mkdir()
    committed = {**ROWS[0], "blog": "a.example", "platform": "other", "year": 2020, "labeller": "a", "locator": None}
    new = {**committed, "url": "https://b.example/billet", "locator": "blog cuisine goûter avis"}
    (labels / "d.jsonl").write_text(json.dumps(new) + "\n", encoding="utf-8")
    (labels / "d.recovered.jsonl").write_text(
        json.dumps({"url": committed["url"], "locator": "requête retrouvée"}) + "\n", encoding="utf-8")
    (labels / "d.cache.jsonl").write_text(json.dumps({"url": new["url"], "excerpt": "NEUF"}) + "\n", encoding="utf-8")
    rows, excerpts = real_posts.import_labels(labels, [committed], {committed["url"]: "ANCIEN"})
    by_url = {r["url"]: r for r in rows}
    assert by_url[committed["url"]]["locator"] == "requête retrouvée" and by_url[committed["url"]]["labeller"] == "a"
    assert by_url[new["url"]]["labeller"] == "d" and by_url[new["url"]]["locator"] == "blog cuisine goûter avis"
    assert excerpts == {committed["url"]: "ANCIEN", new["url"]: "NEUF"}  # an old excerpt is never dropped
    assert real_posts.missing_queries(rows, {new["url"]: "NEUF"}) == {"requête retrouvée": [committed["url"]]}


def test_detection_report_runs_without_the_cache_and_says_so(tmp_path, settings):
    """CI has no excerpts: the command still prints the in-house set and says what is missing."""
    from io import StringIO

    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("detection_report", stdout=out)
    text = out.getvalue()
    assert "153/153" in text
    assert "cache d'extraits absent" in text
