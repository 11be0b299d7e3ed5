"""Each disclosure cue of a real tuning post, alone, gives the post's label.

Known misses stay listed (strict: a fixed one must leave the list) — they are what
the rules do not generalise to yet (implicit gifts, purchases told as a story).
"""

import pytest

from ambassade.lib.folding import fold
from ambassade.watch.detect.disclosure import detect_disclosure

from .cues import cues

KNOWN_MISSES = {
    "http://bylaurence.fr/?p=626",
    "http://bylaurence.fr/histoire-de-manteaux",
    "https://echosverts.com/2020/11/23/accompagner-son-bebe-vers-un-sommeil-autonome-mon-experience-avec-fee-dodo/",
    "https://lespagesdebettie.wordpress.com/2010/08/04/add-wow-to-my%C2%A0wardrobe/",
    "https://paperblog.fr/5262118/the-body-explications-inside",
    "https://tonpetitlook.com/2012/06/22/lete-cest-fait-pour-jouer-aux-hippies-avec-nos-robes-longues-le-temps-dune-mini-canicule/",
    "https://www.fleurdementhe.com/beaute-maquillage-esthetique/lunettes-de-vue-la-difficulte-du-choix/",
    "http://blog.jasmineandco.fr/ikea-fleur/",
    "http://bylaurence.fr/?p=403",
    "http://lesateliersdepaupiette.fr/jai-teste-le-shampoing-solide",
    "http://moipeuxtuvenir.blogspot.com/2010/08/fringuees-pour-veiller-tard-les-bagages.html",
    "http://monpetitbazar.fr/page/7?loginid=8b621793f7&paged=8",
    "http://www.goutsetpassions.com/essais-automobiles",
    "http://www.hyperespace.org/dotclear/index.php/post/2008/02/05/102-premieres-impressions-sur-l-asus-eee",
    "https://blog.linuxine.net/blog/mon-fairphone-est-arrive",
    "https://flight-report.com/fr/report/57566/buzz-ryanair-fr8124-toulouse-tls-ibiza-ibz",
    "https://jemedisperse.wordpress.com/2017/01/10/je-nai-pas-choisi-le-thermomix-jai-prefere-le-cooking-chef/",
    "https://knitspirit.net/2011/03/des-ongles-et-des-vernis.html",
    "https://ours-inculte.fr/tag/les-frontieres-liquides",
    "https://paperblog.fr/2015764/carry-on-epilogue",
    "https://paperblog.fr/4064381/tests-en-coursles-premieres-chaussures-built-to-survive-1600-kms-uk-gear-pt-1000",
    "https://pleaz.fr/mode/la-petite-robe-noire-cache-un-parfum-signe-guerlain",
    "https://thecomptoir.com/fr/armoire/oasis-de-petit-patron-4203/",
    "https://tonpetitlook.com/2012/11/27/prendre-lair-avec-une-robe-jacquette-froufrou-de-style-1972",
    "https://tuxboard.com/nouvelle-peugeot-308",
    "https://www.patpro.net/blog/index.php/2007/04/09/86-nouveau-jouet/?related_post_from=86",
    "https://www.rocknkid.com/voyage-voyage/",
}


@pytest.mark.parametrize("cue, row", [
    pytest.param(cue, row, id=row["url"][-60:],
                 marks=[pytest.mark.xfail(strict=True, reason="known miss")] if row["url"] in KNOWN_MISSES else [])
    for cue, row in cues("disclosure_cue")
])
def test_the_cue_alone_gives_the_label(cue, row):
    assert detect_disclosure(fold(cue)).label == row["disclosure"]


def test_most_cues_are_understood():
    assert len(KNOWN_MISSES) <= len(cues("disclosure_cue")) // 5


@pytest.mark.parametrize("sentence, label", [
    ("J’ai acheté ce sérum en pharmacie le mois dernier.", "self_bought"),
    ("J'ai craqué pour la palette en soldes.", "self_bought"),
    ("Je me suis offert ce sac pour mes trente ans.", "self_bought"),
    ("La marque nous a invités à découvrir le nouvel hôtel.", "gifted"),
    ("J'étais invitée au lancement de la gamme.", "gifted"),
    ("Reçu en test il y a trois semaines.", "gifted"),
    ("Merci aux éditions du Lac pour cette lecture.", "gifted"),
    ("Livre reçu en service de presse.", "gifted"),
    ("Quand Faguo m'a contactée pour que je parle de leurs tennis, j'ai hésité.", "sponsored"),
    ("Cette poussette se prête parfaitement aux trottoirs de Paris.", "none"),
    ("Je ne suis sponsorisée par personne, hélas.", "none"),
    ("Si une marque me proposait un partenariat, je refuserais.", "none"),
    ("Une poussette prêtée par la famille.", "none"),
    ("Ce parfum m'a été offert par mon mari pour Noël.", "none"),
])
def test_real_phrasings_and_their_false_alarms(sentence, label):
    assert detect_disclosure(fold(sentence)).label == label
