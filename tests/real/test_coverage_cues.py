"""Subject vs passing mention, in the shapes real posts take (the failure families the
labelled real posts showed), each written here in a sentence of our own."""

from ambassade.watch.detect.analyze import analyze, lexicon_for
from ambassade.watch.detect.extract import extract_text


def verdict(text, brand, products=()):
    return analyze(extract_text(text), lexicon_for(brand, list(products)))


FILLER = " ".join(["La texture est légère et le parfum discret, on l'applique matin et soir."] * 12)


def test_a_plain_text_posts_short_first_line_is_its_title_and_names_the_subject():
    post = verdict(f"Mon avis sur la Glow Box de novembre\n{FILLER}\nBref, j'ai aimé.", "Glow Box")
    assert post.title == "Mon avis sur la Glow Box de novembre" and post.subject


def test_named_once_then_taken_up_as_cette_box_is_the_subject():
    text = (f"Ce mois-ci j'ai reçu la Glow Box, je vous la présente. {FILLER} "
            "Cette box contient cinq produits. Dans cette box, mon préféré est le baume.")
    assert verdict(text, "Glow Box").subject


def test_names_joined_or_apart_are_one_name():
    text = f"La Glowbox de novembre est arrivée. {FILLER} Je garde la Glowbox pour l'hiver."
    post = verdict(text, "Glow Box")
    assert post.subject and post.mentions[0].count == 2


def test_a_name_with_an_ampersand_is_found():
    assert verdict(f"Retour sur Maison & Objet 2018.\n{FILLER}", "Maison & Objet").mentions


def test_a_brand_spelled_like_a_pronoun_counts_only_with_its_capital():
    text = f"Elle est belle, elle est douce, elle sent bon. {FILLER}"
    assert not verdict(text, "Elle").mentions
    assert verdict(f"J'ai lu le dernier numéro de Elle. {FILLER}", "Elle").mentions


def test_a_brand_cited_as_a_source_by_comparison_is_in_passing():
    text = (f"J'ai testé le sérum Lumi pendant un mois. {FILLER} Selon Le Figaro, ce type de soin est à la mode. "
            "D'après Le Figaro, les ventes montent.")
    post = verdict(text, "Le Figaro")
    assert post.mentions and not post.subject


def test_a_name_outshone_by_another_is_in_passing():
    text = (f"Mes Nikon ont fait leur temps. J'utilise le Leica M depuis mars. {FILLER} "
            "Le Leica M est léger. Avec le Leica M, je cadre mieux. Le Leica M ne me quitte plus. Merci Leica.")
    assert not verdict(text, "Nikon").subject
    assert verdict(text, "Leica").subject


def test_a_short_brand_inside_its_product_name_counts_for_the_brand():
    text = f"Je teste la Lumi Pad 3 depuis une semaine. {FILLER} La Lumi Pad 3 tient deux jours."
    assert verdict(text, "Lumi", ["Lumi Pad 3"]).subject


def test_one_name_of_a_list_is_in_passing():
    text = (f"Dans la hotte : Kenzo, Dior, Guerlain et Nohem. {FILLER} "
            "Les lots de Kenzo, Dior, Guerlain et Nohem seront envoyés lundi.")
    assert not verdict(text, "Dior").subject
