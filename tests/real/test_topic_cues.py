"""Topics as real posts need them: phrases as phrases, no function word and no word under
four letters alone, ambiguous words by their context."""

import pytest

from ambassade.watch.detect.topics import classify, topic_scores


@pytest.mark.parametrize("text, not_topic", [
    ("Il ne faut pas se presser, pas à pas on y arrive, pas du tout pressée.", "parentalite"),  # "premiers pas"
    ("Je suis bien, bien contente d'être là, vraiment bien.", "sante_bienetre"),  # "bien-être"
    ("Car il pleuvait, car il faisait froid, car c'était dimanche.", "auto_moto"),  # "camping-car"
    ("Entre nous, entre amies, entre deux averses.", "deco_maison"),  # "entrée"
])
def test_words_of_a_phrase_or_function_words_never_count_alone(text, not_topic):
    assert not_topic not in topic_scores(text)


@pytest.mark.parametrize("text, topic", [
    ("Mes premiers pas avec bébé : la sieste et le biberon.", "parentalite"),
    ("Un mois en camping-car sur la côte, étape par étape.", "voyage"),
    ("Bilan de ma liseuse après un an : écran, batterie, autonomie.", "high_tech"),
    ("Une box beauté pleine de soins : sérum, crème et mascara.", "beaute"),
    ("Le tome deux de cette saga : une intrigue et des personnages forts.", "loisirs_culture"),
])
def test_the_topic_of_real_post_shapes(text, topic):
    assert classify(text)[0] == topic


def test_the_title_weighs_more_than_a_sentence():
    body = "On en a parlé à la maison."  # one word of another topic, as heavy as the title's without its weight
    assert classify(body, title="Mon nouveau smartphone")[0] == "high_tech"
