"""Hand-written French post openings, one topic each, in words the farm never uses.

The farm's posts are built from a small set of sentences, so the classifier's 100 % on them
says little. `TOPIC_SAMPLES` read like real blogs; the first measure on them (20 of 33 right)
led to a broader vocabulary, so they are a tuning set now. `HELD_OUT` was written after that
change and never used to tune anything: its figure is the honest one.
"""

TOPIC_SAMPLES = [
    ("beaute", "Mon fond de teint préféré a enfin une version plus couvrante : je l'ai porté toute une semaine, sous la pluie et au bureau."),
    ("beaute", "Trois rouges à lèvres mats testés sur lèvres sèches, avec leur tenue après un café et un déjeuner."),
    ("beaute", "Ma peau a très mal vécu l'hiver, alors j'ai revu ma routine : un nettoyant doux, un sérum et une crème riche."),
    ("mode", "J'ai trouvé au vide-grenier une veste en velours côtelé que je porte avec un jean brut et des bottines."),
    ("mode", "Ma garde-robe capsule pour le printemps : dix pièces, trois couleurs, et pas une de plus."),
    ("mode", "La nouvelle collection mise sur les robes longues à fleurs et les sandales plates."),
    ("cuisine", "Un gratin de courge et de châtaignes, avec une béchamel légère et un peu de comté râpé."),
    ("cuisine", "Ma pâte à crêpes sans repos : farine, œufs, lait, une pincée de sel et une noix de beurre fondu."),
    ("cuisine", "Le risotto demande de la patience : le bouillon s'ajoute louche par louche, sans cesser de remuer."),
    ("parentalite", "Notre fille a fait ses premiers pas dimanche, juste avant le bain, sous les yeux de son grand frère."),
    ("parentalite", "Le retour à la crèche après les vacances a été compliqué : des pleurs le matin et des nuits agitées."),
    ("parentalite", "À six mois de grossesse, je prépare la chambre du bébé et la valise pour la maternité."),
    ("deco_maison", "Nous avons posé du papier peint panoramique dans l'entrée et changé toutes les poignées de porte."),
    ("deco_maison", "Mon balcon de ville transformé en petit jardin : jardinières, guirlande lumineuse et un fauteuil en rotin."),
    ("deco_maison", "Avant-après de la salle de bains : carrelage blanc, robinetterie noire et miroir rond."),
    ("voyage", "Dix jours au Portugal en van, de Porto à l'Algarve, en dormant face à l'océan."),
    ("voyage", "Notre itinéraire en Écosse : Édimbourg, les Highlands, l'île de Skye et ses routes à une voie."),
    ("voyage", "J'ai pris le train de nuit pour Vienne : couchette, petit-déjeuner et arrivée au centre-ville à l'aube."),
    ("high_tech", "J'ai testé une montre connectée pendant un mois : podomètre, notifications et autonomie d'une semaine."),
    ("high_tech", "Comment j'ai monté mon ordinateur moi-même : processeur, carte graphique et refroidissement silencieux."),
    ("high_tech", "La mise à jour du système a ralenti ma tablette, voici comment revenir à la version précédente."),
    ("auto_moto", "Ma première longue sortie à moto : cinq cents kilomètres de départementales dans le Vercors."),
    ("auto_moto", "Nous avons remplacé notre vieux diesel par une citadine hybride : consommation et coût d'entretien."),
    ("auto_moto", "Changer ses plaquettes de frein soi-même : outils, étapes et précautions au garage."),
    ("lifestyle", "Ce que j'ai appris en un an de minimalisme : moins d'objets, plus de temps, et des week-ends plus calmes."),
    ("lifestyle", "Mes petits rituels du dimanche soir pour bien commencer la semaine : liste, bougie et tisane."),
    ("lifestyle", "Bilan de l'année : ce qui m'a rendue heureuse, ce que je laisse derrière moi, mes envies pour la suite."),
    ("sante_bienetre", "Six semaines de course à pied pour débutants : je suis passée de zéro à cinq kilomètres sans m'arrêter."),
    ("sante_bienetre", "La sophrologie m'aide à gérer mes crises d'angoisse avant les réunions importantes."),
    ("sante_bienetre", "Mon médecin m'a conseillé de réduire le sucre : mon premier mois, les envies et la fatigue."),
    ("loisirs_culture", "Le dernier album de ce groupe de rock est une claque : dix titres, pas un seul à jeter."),
    ("loisirs_culture", "Notre soirée au théâtre pour une pièce de Molière mise en scène dans un décor contemporain."),
    ("loisirs_culture", "Ma pile à lire de l'été : deux polars nordiques, une bande dessinée et un essai sur l'art."),
]

HELD_OUT = [
    ("beaute", "J'ai enfin trouvé un mascara qui ne coule pas : recourbe-cils, deux couches, et il tient jusqu'au soir."),
    ("beaute", "Ma coiffeuse m'a conseillé un masque pour cheveux bouclés, je vous dis ce qu'il vaut après un mois."),
    ("mode", "Comment je porte le blazer oversize cet automne : avec un col roulé, une jupe plissée et des mocassins."),
    ("mode", "Petite sélection de manteaux chauds pour moins de cent euros, repérés en boutique et en ligne."),
    ("cuisine", "Mes lasagnes végétariennes aux épinards et à la ricotta, à préparer la veille et à réchauffer au four."),
    ("cuisine", "Un crumble aux pommes et aux poires, avec des flocons d'avoine dans la pâte pour le croustillant."),
    ("parentalite", "Les colères de notre fils de deux ans : ce qui marche chez nous, et ce qui ne marche pas du tout."),
    ("parentalite", "Préparer l'arrivée du deuxième enfant avec l'aîné : livres, câlins et un peu de patience."),
    ("deco_maison", "Nous avons transformé le grenier en bureau : isolation, velux, étagères sur mesure et une moquette douce."),
    ("deco_maison", "Trois idées pour décorer une petite entrée sans l'encombrer : patères, banc étroit et miroir."),
    ("voyage", "Un week-end à Lisbonne : le tram 28, les pasteis de nata et le coucher de soleil sur le Tage."),
    ("voyage", "Nos conseils pour traverser l'Islande en dix jours : location de voiture, cascades et sources chaudes."),
    ("high_tech", "J'ai installé un réseau maillé pour enfin avoir du wifi dans toute la maison, y compris au jardin."),
    ("high_tech", "Mon avis sur cette liseuse : écran sans reflet, éclairage réglable et une batterie qui tient des semaines."),
    ("auto_moto", "Premier plein de notre voiture d'occasion : bilan de l'achat, de l'assurance et du premier entretien."),
    ("auto_moto", "Passer le permis moto à trente ans : le plateau, la circulation et mes deux échecs avant la réussite."),
    ("lifestyle", "Ma to-do list de novembre : ranger les placards, écrire plus souvent et voir les amis que je néglige."),
    ("lifestyle", "Pourquoi j'ai quitté les réseaux sociaux pendant trente jours, et ce que ça a changé dans mes journées."),
    ("sante_bienetre", "Mes séances de natation du mardi soir ont soulagé mon mal de dos mieux que tout le reste."),
    ("sante_bienetre", "Dormir huit heures par nuit pendant un mois : mon expérience, mes écrans coupés et mon humeur."),
    ("loisirs_culture", "Le musée d'Orsay propose une nouvelle exposition sur les impressionnistes, nous y sommes allés samedi."),
    ("loisirs_culture", "Mon club de lecture a choisi un roman japonais ce mois-ci, voici ce que nous en avons pensé."),
]


def sample_accuracy(samples=None) -> tuple[int, int, int]:
    """(samples, first topic right, true topic among the first three); held-out samples by default."""
    from ambassade.watch.detect.topics import classify

    ranked = [(topic, classify(text)) for topic, text in (samples or HELD_OUT)]
    return len(ranked), sum(r[:1] == [t] for t, r in ranked), sum(t in r for t, r in ranked)
