"""Each giveaway cue of a real tuning post, alone, says a giveaway; what a post about
someone else's contest says does not."""

import pytest

from ambassade.lib.folding import fold
from ambassade.watch.detect.giveaway import detect_giveaway

from .cues import cues

KNOWN_MISSES = {
    "http://www.lablogueusemode.be/billet-honteusement/",
}


@pytest.mark.parametrize("cue, row", [
    pytest.param(cue, row, id=row["url"][-60:],
                 marks=[pytest.mark.xfail(strict=True, reason="known miss")] if row["url"] in KNOWN_MISSES else [])
    for cue, row in cues("giveaway_cue")
])
def test_the_cue_alone_says_giveaway(cue, row):
    assert detect_giveaway(fold(cue)).present is row["giveaway"]


@pytest.mark.parametrize("sentence", [
    "J'ai gagné le concours de Julie, trop contente !",
    "J'ai participé au concours de recettes du magazine.",
    "Ce robot fait gagner du temps le matin.",
    "Les concours chez les blogueuses, j'y participe rarement.",
    "Et le gagnant est… Marie ! Félicitations aux gagnants.",
    "Nous glissons parfois un bulletin de jeu-concours dans une urne.",
])
def test_contests_the_author_does_not_run_are_not_giveaways(sentence):
    assert not detect_giveaway(fold(sentence)).present


@pytest.mark.parametrize("sentence", [
    "J’offre cinq exemplaires du livre : laissez un commentaire pour participer.",
    "Gagnez une montre en chantant !",
    "Je vous fais gagner deux coffrets, tirage au sort dimanche.",
])
def test_the_author_calling_readers_is_a_giveaway(sentence):
    assert detect_giveaway(fold(sentence)).present
