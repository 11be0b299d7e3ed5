"""Ranking a brief: hard filters that no weight can undo, penalties, diversity, the farm evaluation."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambassade.lib.stemming import stems
from ambassade.targeting.never import brief_touches, touched
from ambassade.targeting.rank import TOPICS, Brief, ProfileIndex, ProfileRow, Weights, rank
from ambassade.targeting.text import terms

NEVER = ["grossesse", "peaux sèches", "alcool", "régimes", "parentalite", "jeux d'argent"]
VOCABULARY = ["yaourt", "dessert", "recet", "gout", "grossess", "enceint", "rob", "cuir", "vin", "peau", "sech",
              "voyag", "velo", "valis", "creme", "minceur"]

weights = st.builds(Weights, **{name: st.floats(-10, 10, allow_nan=False) for name in Weights.FIELDS})
rows = st.lists(
    st.builds(
        ProfileRow,
        blog_id=st.integers(1, 10_000),
        terms=st.dictionaries(st.sampled_from(VOCABULARY), st.floats(0.01, 20), max_size=8),
        length=st.floats(1, 500),
        topics=st.dictionaries(st.sampled_from(TOPICS), st.floats(0.01, 1), max_size=3),
        language=st.sampled_from(["fr", "en", ""]),
        last_post_days=st.one_of(st.none(), st.floats(0, 400)),
        sponsored_share=st.floats(0, 1),
        never=st.lists(st.sampled_from(NEVER), max_size=2).map(tuple),
        contactable=st.booleans(),
        placements_6m=st.integers(0, 10),
        published=st.integers(0, 5),
        unpublished=st.integers(0, 5),
    ),
    max_size=60,
    unique_by=lambda r: r.blog_id,
)
briefs = st.builds(
    Brief,
    terms=st.dictionaries(st.sampled_from(VOCABULARY), st.floats(0.5, 5), min_size=1, max_size=6),
    topics=st.lists(st.sampled_from(TOPICS), max_size=2).map(tuple),
    language=st.sampled_from(["fr", "en"]),
    inactive_days=st.integers(1, 120),
    refused=st.frozensets(st.integers(1, 10_000), max_size=20),
    competitor=st.frozensets(st.integers(1, 10_000), max_size=20),
    placed=st.frozensets(st.integers(1, 10_000), max_size=20),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, brief=briefs, weights=weights, limit=st.integers(1, 25))
def test_it_never_proposes_a_blog_a_hard_filter_excludes_whatever_the_weights(rows, brief, weights, limit):
    by_id = {r.blog_id: r for r in rows}
    ranking = rank(ProfileIndex(rows), brief, weights, limit)
    assert len(ranking.candidates) <= limit
    assert len({c.blog_id for c in ranking.candidates}) == len(ranking.candidates)
    for candidate in ranking.candidates:
        row = by_id[candidate.blog_id]
        assert row.contactable, "opted out"
        assert not touched(set(row.never), brief.stems, frozenset(brief.topics)), "never-topic"
        assert row.blog_id not in brief.refused | brief.competitor | brief.placed
        assert row.last_post_days is not None and row.last_post_days <= brief.inactive_days, "inactive"
        assert row.language == brief.language
    assert ranking.eligible + sum(ranking.excluded.values()) == len(rows)


def row(blog_id, text, topics, **extra):
    return ProfileRow(blog_id=blog_id, terms=dict(terms(text)), length=float(sum(terms(text).values())),
                      topics=topics, last_post_days=3, **extra)


def yogurt_brief(**extra):
    return Brief(terms=dict(terms("yaourt dessert recette goûter")), topics=("cuisine",), **extra)


KITCHEN = "yaourt dessert recette goûter yaourt gâteau four"


def test_it_puts_the_blogs_that_write_on_the_brief_first():
    index = ProfileIndex([
        row(1, "valise train avion voyage", {"voyage": 1.0}),
        row(2, KITCHEN, {"cuisine": 0.8, "parentalite": 0.2}),
        row(3, "robe jupe look", {"mode": 1.0}),
        row(4, "tarte dessert", {"cuisine": 0.5, "lifestyle": 0.5}),
    ])
    ranking = rank(index, yogurt_brief(), Weights(diversity=0))
    assert [c.blog_id for c in ranking.candidates][:2] == [2, 4]
    first = ranking.candidates[0]
    assert first.breakdown["relevance"] > 0 and first.breakdown["topics"] > 0
    assert first.matched[0] in ("yaourt", "dessert", "recet", "gout")


def test_it_penalises_sponsored_saturation_overexposure_and_unreliability():
    plain = row(1, KITCHEN, {"cuisine": 1.0}, sponsored_share=0.05)
    sandwich = row(2, KITCHEN, {"cuisine": 1.0}, sponsored_share=0.85)
    overexposed = row(3, KITCHEN, {"cuisine": 1.0}, placements_6m=5)
    unreliable = row(4, KITCHEN, {"cuisine": 1.0}, unpublished=2)
    ranking = rank(ProfileIndex([sandwich, overexposed, unreliable, plain]), yogurt_brief(), Weights(diversity=0))
    assert ranking.candidates[0].blog_id == 1
    scores = {c.blog_id: c for c in ranking.candidates}
    assert scores[2].breakdown["saturation"] < 0
    assert scores[3].breakdown["overexposure"] < 0
    assert scores[4].breakdown["reliability"] < 0
    # The CM may decide saturation does not matter for this brief.
    relaxed = rank(ProfileIndex([sandwich, plain]), yogurt_brief(), Weights(saturation=0, diversity=0))
    assert relaxed.candidates[0].score == relaxed.candidates[1].score


def test_it_counts_products_of_the_same_category_received_lately():
    index = ProfileIndex([row(1, KITCHEN, {"cuisine": 1.0}), row(2, KITCHEN, {"cuisine": 1.0})])
    ranking = rank(index, yogurt_brief(same_category={1: 2}), Weights(diversity=0))
    assert [c.blog_id for c in ranking.candidates] == [2, 1]


def test_it_varies_the_shortlist_when_asked_for_diversity():
    twins = [row(i, KITCHEN, {"cuisine": 1.0}) for i in range(1, 8)]
    # Two blogs as good on the brief, but with another side to them.
    others = [row(10, KITCHEN + " bébé sieste poussette", {"cuisine": 0.55, "parentalite": 0.45}),
              row(11, KITCHEN + " randonnée valise étape", {"cuisine": 0.55, "voyage": 0.45})]
    index = ProfileIndex(twins + others)
    plain = rank(index, yogurt_brief(), Weights(diversity=0), limit=4)
    varied = rank(index, yogurt_brief(), Weights(diversity=0.6), limit=4)
    assert {c.blog_id for c in plain.candidates} <= {r.blog_id for r in twins}
    assert {10, 11} & {c.blog_id for c in varied.candidates}


def test_it_reads_never_topics_with_their_synonyms():
    maternity = frozenset(stems("Une robe pour les futures mamans enceintes, confortable"))
    yogurt = frozenset(stems("Un yaourt à la vanille pour le goûter"))
    assert brief_touches("grossesse", maternity, frozenset())
    assert not brief_touches("grossesse", yogurt, frozenset())
    assert brief_touches("Peaux sèches", frozenset(stems("un baume pour peau sèche")), frozenset())
    assert brief_touches("parentalite", yogurt, frozenset({"parentalite"}))
    assert not brief_touches("alcool", yogurt, frozenset({"cuisine"}))


def test_it_ranks_the_farm_well_and_better_than_plain_relevance():
    from ambassade.evaluation.targeting import BRIEFS, evaluate

    assert len(BRIEFS) >= 30
    # Seed 23 was held out when the default weights were chosen (on seed 11).
    ours = evaluate(blogs=300, seed=23)
    plain = evaluate(blogs=300, seed=23, weights=Weights(relevance=1, topics=0, wanted=0, saturation=0,
                                                          overexposure=0, reliability=0, diversity=0))
    assert ours.violations == 0
    assert ours.mean("ndcg") >= 0.85 and ours.mean("precision") >= 0.8
    assert ours.mean("ndcg") > plain.mean("ndcg") + 0.1
    assert ours.mean("sandwiches") < plain.mean("sandwiches")
