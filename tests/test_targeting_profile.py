"""Blog profiles from posts: incremental folding, 90-day counts, vocabulary, language."""

from datetime import UTC, datetime, timedelta

import pytest

from ambassade.targeting.profile import DecayedProfile, PostFacts, fold, window_stats
from ambassade.targeting.text import language_of, terms

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)


def post(days_ago, title="", text="", topics=(), disclosure="none", giveaway=False, comments=None):
    return PostFacts(published_at=NOW - timedelta(days=days_ago), title=title, text=text, topics=list(topics),
                     disclosure=disclosure, giveaway=giveaway, comment_count=comments)


POSTS = [
    post(2, "Dessert express", "Un yaourt à la vanille, une recette de goûter pour les enfants.", ["cuisine"]),
    post(10, "Tarte du marché", "La pâte, les fruits, le four : une tarte simple.", ["cuisine", "lifestyle"]),
    post(40, "Mon coin lecture", "Une lampe, un plaid et un roman.", ["deco_maison", "loisirs_culture"]),
]


def test_it_gives_the_same_profile_folded_one_post_at_a_time_or_all_at_once():
    at_once = fold(DecayedProfile(), POSTS, NOW)
    step = DecayedProfile()
    for p in reversed(POSTS):  # oldest first, as the veille finds them
        step = fold(step, [p], NOW)
    assert step.terms == pytest.approx(at_once.terms, rel=1e-3)
    assert step.topic_weights == pytest.approx(at_once.topic_weights, rel=1e-3)


def test_it_lets_old_posts_fade_without_subtracting_them():
    profile = fold(DecayedProfile(), POSTS, NOW)
    later = fold(profile, [], NOW + timedelta(days=90))
    assert later.terms["yaourt"] == pytest.approx(profile.terms["yaourt"] / 2, rel=1e-3)
    # Shares are relative: fading alone does not change what the blog is about.
    assert later.topic_weights == pytest.approx(profile.topic_weights, rel=1e-3)
    newer = fold(later, [PostFacts(NOW + timedelta(days=90), "Escapade", "Un voyage à vélo, une valise", ["voyage"])],
                 NOW + timedelta(days=90))
    assert next(iter(newer.topic_weights)) in ("voyage", "cuisine")
    assert newer.topic_weights["voyage"] > later.topic_weights.get("voyage", 0)


def test_it_ranks_topics_by_weight_and_keeps_words_as_written():
    profile = fold(DecayedProfile(), POSTS, NOW)
    assert list(profile.topic_weights)[0] == "cuisine"
    assert sum(profile.topic_weights.values()) == pytest.approx(1)
    assert "yaourt" in profile.vocabulary(20)
    assert "une" not in profile.terms and "les" not in profile.vocabulary(50)


def test_it_counts_sponsored_gifted_and_giveaways_over_the_last_90_days_only():
    posts = [post(1, disclosure="gifted"), post(5, disclosure="sponsored"), post(8, disclosure="gifted", giveaway=True),
             post(20), post(30, comments=4), post(60, comments=2), post(120, disclosure="sponsored")]
    stats = window_stats(posts, NOW)
    assert (stats.posts, stats.gifted, stats.sponsored, stats.giveaways) == (6, 1, 1, 1)
    assert stats.sponsored_share == pytest.approx(3 / 6)
    assert stats.posts_per_month == 2.0
    assert stats.comments_per_post == 3.0
    assert stats.last_post_at == NOW - timedelta(days=1)


def test_it_says_which_language_a_post_is_in():
    assert language_of("Je vous parle aujourd'hui de la recette que nous faisons pour le goûter avec les enfants") == "fr"
    assert language_of("Today I want to tell you about the recipe that we make with the kids for tea") == "en"
    assert language_of("Merci !") == ""


def test_it_folds_plural_case_and_accents_into_one_term():
    assert terms("Yaourts, yaourt et YAOURT") == {"yaourt": 3}
    assert set(terms("gâteau Gateau")) == {"gateau"}
